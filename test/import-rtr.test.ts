import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { VitrineError } from '../src/core/errors.ts';
import { importRtr } from '../src/pipeline/import/index.ts';
import type { ImportProgress } from '../src/pipeline/import/index.ts';
import { badLines, fixture, freshStore, tempDir } from './helpers/import-fixtures.ts';

const dir = tempDir('vitrine-import-rtr-');
const CSV = fixture('rtr-small.csv');
const JSONL = fixture('rtr-small.json');
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

describe('importRtr, reduced CSV', () => {
  it('loads the good rows and reports each bad one by line, without stopping', async () => {
    const store = freshStore(dir);
    const s = await importRtr(store, CSV);
    assert.equal(s.rows, 11); // 12 physical data lines, one record spans two
    assert.deepEqual([s.events, s.duplicates, s.members, s.items], [6, 0, 3, 4]);
    assert.deepEqual(badLines(s), [
      '6 VITRINE_IMPORT_BAD_ROW', // 7 columns
      '9 VITRINE_EVENT_BAD_FIT', // fit "tight"
      '10 VITRINE_IMPORT_BAD_ROW', // no user_id
      '11 VITRINE_IMPORT_BAD_ROW', // age "thirty"
      '12 VITRINE_EVENT_TS_FUTURE', // 2999
    ]);
    assert.match(s.badRows.first[0].message, /expected 15 columns, got 7/);
    assert.deepEqual(s.badRows.byCode, { VITRINE_IMPORT_BAD_ROW: 3, VITRINE_EVENT_BAD_FIT: 1, VITRINE_EVENT_TS_FUTURE: 1 });
    assert.deepEqual([await store.countEvents(), await store.countUsers(), await store.countItems()], [6, 3, 4]);
    await store.close();
  });

  it('carries fit, size, rating and occasion (quoted, even across lines) onto rent events', async () => {
    const store = freshStore(dir);
    await importRtr(store, CSV);
    const u1 = await store.userEvents('u1');
    assert.deepEqual(u1.map((e) => [e.id, e.type, e.itemId, e.ts, e.size, e.fit, e.rating, e.occasion]), [
      ['rtr-2', 'rent', 'i2', day('2017-01-10'), '12', 'small', 8, 'party, night'],
      ['rtr-6', 'rent', 'i1', day('2016-05-01'), '14', 'fit', 10, 'formal\naffair'],
      ['rtr-1', 'rent', 'i1', day('2016-04-20'), '14', 'fit', 10, 'vacation'],
    ]);
    const [noRating] = await store.userEvents('u2', { limit: 1 });
    assert.equal(noRating.id, 'rtr-4');
    assert.equal(noRating.rating, undefined);
    assert.equal(noRating.size, '8'); // "8.0" in the file is the size label 8
    await store.close();
  });

  it('gives members their sizes (most rented first) and latest body measurements', async () => {
    const store = freshStore(dir);
    await importRtr(store, CSV);
    const u1 = await store.getUser('u1');
    assert.deepEqual(u1?.sizes, ['14', '12']);
    assert.deepEqual(u1?.attributes, { bodyType: 'hourglass', age: 29, weightLbs: 140, heightIn: 68, bustSize: '34d' });
    const u2 = await store.getUser('u2');
    assert.deepEqual(u2?.sizes, ['8']);
    assert.deepEqual(u2?.attributes, { bodyType: 'straight & narrow', age: 36, weightLbs: 132, heightIn: 66, bustSize: '34b' });
    assert.equal(await store.getUser('u4'), null, 'a member only in bad rows is not created');
    await store.close();
  });

  it('catalogues items with their category, a title and one unit per size seen', async () => {
    const store = freshStore(dir);
    await importRtr(store, CSV);
    const i1 = await store.getItem('i1');
    assert.equal(i1?.placeholder, false);
    assert.equal(i1?.title, 'romper i1');
    assert.equal(i1?.category, 'romper');
    assert.deepEqual(i1?.sizes, { 8: 1, 14: 1 });
    assert.equal((await store.getItem('i3'))?.category, 'gown, "long"');
    await store.close();
  });

  it('is idempotent: a re-run stores nothing twice and counts the duplicates', async () => {
    const store = freshStore(dir);
    await importRtr(store, CSV);
    const again = await importRtr(store, CSV);
    assert.deepEqual([again.events, again.duplicates, again.members, again.items], [0, 6, 3, 4]);
    assert.deepEqual([await store.countEvents(), await store.countUsers(), await store.countItems()], [6, 3, 4]);
    await store.close();
  });

  it('reads gzip, reporting progress in compressed bytes up to the file size', async () => {
    const gz = join(dir, 'rtr-small.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(CSV)));
    const store = freshStore(dir);
    const seen: ImportProgress[] = [];
    const s = await importRtr(store, gz, { onProgress: (p) => seen.push(p), batchSize: 2 });
    assert.deepEqual([s.events, s.members, s.items, s.badRows.total], [6, 3, 4, 5]);
    const reading = seen.filter((p) => p.phase === 'reading').at(-1);
    assert.equal(reading?.bytesRead, reading?.totalBytes);
    assert.equal(reading?.totalBytes, readFileSync(gz).length);
    assert.deepEqual(seen.filter((p) => p.phase !== 'reading').at(-1), {
      file: 'rtr-small.csv.gz', phase: 'members', bytesRead: reading?.totalBytes, totalBytes: reading?.totalBytes, rows: 11, done: 3, total: 3,
    });
    await store.close();
  });
});

describe('importRtr, original JSON lines', () => {
  it('parses "34d", "137lbs", 5\' 8" and "April 20, 2016", and reports bad lines', async () => {
    const store = freshStore(dir);
    const s = await importRtr(store, JSONL);
    assert.deepEqual([s.rows, s.events, s.members, s.items], [11, 6, 3, 4]);
    assert.deepEqual(badLines(s), [
      '5 VITRINE_IMPORT_BAD_ROW', '7 VITRINE_EVENT_BAD_FIT', '8 VITRINE_IMPORT_BAD_ROW', '9 VITRINE_IMPORT_BAD_ROW',
      '10 VITRINE_EVENT_TS_FUTURE',
    ]);
    assert.match(s.badRows.first[0].message, /not valid JSON/);
    const u1 = await store.getUser('u1');
    assert.deepEqual(u1?.attributes, { bodyType: 'hourglass', age: 29, weightLbs: 140, heightIn: 68, bustSize: '34d' });
    const [first] = await store.userEvents('u1', { limit: 1 });
    assert.deepEqual([first.id, first.ts, first.size, first.fit, first.rating], ['rtr-2', day('2017-01-10'), '12', 'small', 8]);
    await store.close();
  });

  it('numbers rows like the CSV, so the JSON of the same data adds nothing after the CSV', async () => {
    const store = freshStore(dir);
    await importRtr(store, CSV);
    const s = await importRtr(store, JSONL);
    assert.deepEqual([s.events, s.duplicates], [0, 6]);
    assert.equal(await store.countEvents(), 6);
    await store.close();
  });
});

describe('importRtr, refusals', () => {
  it('refuses a file that is neither shape, and a missing file, with registered codes', async () => {
    const store = freshStore(dir);
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'a,b,c\n1,2,3\n');
    await assert.rejects(importRtr(store, other), (e: VitrineError) => e.code === 'VITRINE_IMPORT_UNKNOWN_FORMAT');
    await assert.rejects(importRtr(store, join(dir, 'nope.csv')), (e: VitrineError) => e.code === 'VITRINE_IMPORT_FILE_NOT_FOUND');
    await assert.rejects(importRtr(store, dir), (e: VitrineError) => e.code === 'VITRINE_IMPORT_FILE_NOT_FOUND');
    await store.close();
  });

  it('fails with VITRINE_IMPORT_UNREADABLE on a truncated gzip, keeping what was written', async () => {
    const rows = ['fit,user_id,item_id,rating,rented_for,category,size,body_type,age,weight_lbs,height_in,bust_size_num,bust_size_letter,review_date,recommend'];
    for (let i = 0; i < 5000; i++) rows.push(`fit,u${i},i${i % 50},10.0,party,dress,${i % 20},pear,30.0,,,,,2015-01-01,1`);
    const whole = gzipSync(rows.join('\n'));
    const cut = join(dir, 'cut.csv.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const store = freshStore(dir);
    await assert.rejects(importRtr(store, cut, { batchSize: 100 }), (e: VitrineError) => e.code === 'VITRINE_IMPORT_UNREADABLE');
    assert.ok((await store.countEvents()) > 0);
    await store.close();
  });
});
