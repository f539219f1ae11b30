import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { VitrineError } from '../src/core/errors.ts';
import { importEventsJsonl, importItemsJsonl, importUsersJsonl, importWorld } from '../src/pipeline/import/index.ts';
import { badLines, fixture, freshStore, tempDir } from './helpers/import-fixtures.ts';

const dir = tempDir('vitrine-import-jsonl-');

describe('importItemsJsonl', () => {
  it('upserts valid items and refuses each bad line with the API code', async () => {
    const store = freshStore(dir);
    const s = await importItemsJsonl(store, fixture('items.jsonl'), { batchSize: 2 });
    assert.deepEqual([s.rows, s.items], [10, 3]);
    assert.deepEqual(badLines(s), [
      '3 VITRINE_REQUEST_BAD_ID', '4 VITRINE_REQUEST_UNKNOWN_FIELD', '5 VITRINE_IMPORT_BAD_ROW',
      '7 VITRINE_ITEM_INVALID', '8 VITRINE_ITEM_INVALID', '11 VITRINE_ITEM_INVALID',
    ]);
    assert.equal(await store.countItems(), 3);
    const d1 = await store.getItem('dress-1');
    assert.deepEqual([d1?.title, d1?.sizes], ['Red wrap dress v2', { S: 1 }], 'a later line for the same id wins');
    assert.deepEqual((await store.getItem('dress-2'))?.embedding, [0.5, 0.25, -1]);
    assert.equal((await store.getItem('top-6'))?.retired, true);
    await store.close();
  });
});

describe('importUsersJsonl', () => {
  it('upserts valid member profiles and refuses each bad line', async () => {
    const store = freshStore(dir);
    const s = await importUsersJsonl(store, fixture('users.jsonl'));
    assert.deepEqual([s.rows, s.members], [7, 2]);
    assert.deepEqual(badLines(s), [
      '3 VITRINE_REQUEST_BAD_ID', '4 VITRINE_REQUEST_UNKNOWN_FIELD', '5 VITRINE_USER_INVALID', '6 VITRINE_USER_INVALID',
      '7 VITRINE_IMPORT_BAD_ROW',
    ]);
    const ana = await store.getUser('ana');
    assert.deepEqual(ana?.sizes, ['8', '10']);
    assert.deepEqual(ana?.upcoming, [{ occasion: 'wedding', date: Date.parse('2030-06-05T00:00:00Z') }]);
    assert.deepEqual(ana?.preferences, { styles: ['boho'], occasions: ['wedding'] });
    await store.close();
  });
});

describe('importEventsJsonl', () => {
  const clock = () => Date.parse('2024-06-01T00:00:00Z');

  it('validates each event as the API does; a repeated id is a duplicate, not a bad row', async () => {
    const store = freshStore(dir);
    const s = await importEventsJsonl(store, fixture('events.jsonl'), { clock });
    assert.deepEqual([s.rows, s.events, s.duplicates, s.members, s.items], [11, 5, 1, 3, 3]);
    assert.deepEqual(badLines(s), [
      '6 VITRINE_EVENT_BAD_TYPE', '7 VITRINE_EVENT_MISSING_ITEM', '8 VITRINE_EVENT_TS_FUTURE',
      '10 VITRINE_EVENT_UNKNOWN_FIELD', '11 VITRINE_EVENT_BAD_FIT',
    ]);
    const impression = (await store.userEvents('ben')).find((e) => e.id === 'e4');
    assert.equal(impression?.ts, clock(), 'an event without ts happens at the clock, as over the API');
    assert.deepEqual(impression?.context, { pageId: 'p1', rowId: 'for-you', position: 0 });
    assert.equal((await store.getItem('ghost-1'))?.placeholder, true);
    const again = await importEventsJsonl(store, fixture('events.jsonl'), { clock });
    assert.deepEqual([again.events, again.duplicates], [0, 6]);
    await store.close();
  });

  it('refuses events further in the future than the tolerance, and accepts them within it', async () => {
    const now = clock();
    const file = join(dir, 'skew.jsonl');
    writeFileSync(file, [
      { id: 'k1', type: 'view', userId: 'u', itemId: 'i', ts: now + 4 * 60_000 },
      { id: 'k2', type: 'view', userId: 'u', itemId: 'i', ts: now + 6 * 60_000 },
    ].map((e) => JSON.stringify(e)).join('\n'));
    const store = freshStore(dir);
    const s = await importEventsJsonl(store, file, { clock });
    assert.deepEqual([s.events, ...badLines(s)], [1, '2 VITRINE_EVENT_TS_FUTURE']);
    await store.close();
  });

  it('keeps the first 20 bad lines and counts the rest by code', async () => {
    const file = join(dir, 'many-bad.jsonl.gz');
    const lines = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? '{' : JSON.stringify({ id: `x${i}`, type: 'nope', userId: 'u' })));
    writeFileSync(file, gzipSync(lines.join('\n')));
    const store = freshStore(dir);
    const s = await importEventsJsonl(store, file);
    assert.equal(s.badRows.total, 50);
    assert.equal(s.badRows.first.length, 20);
    assert.deepEqual(s.badRows.first.slice(0, 3).map((b) => b.line), [1, 2, 3]);
    assert.deepEqual(s.badRows.byCode, { VITRINE_IMPORT_BAD_ROW: 25, VITRINE_EVENT_BAD_TYPE: 25 });
    await store.close();
  });
});

describe('importWorld', () => {
  it('imports items, then users, then events, ignoring latent/ and world.json', async () => {
    const store = freshStore(dir);
    const s = await importWorld(store, fixture('world'));
    assert.deepEqual([s.rows, s.items, s.members, s.events], [8, 2, 2, 3]);
    assert.deepEqual(s.badRows.first.map((b) => `${b.file}:${b.line} ${b.code}`), ['events.jsonl:3 VITRINE_EVENT_MISSING_ITEM']);
    assert.equal((await store.getItem('w-item-1'))?.placeholder, false);
    assert.deepEqual((await store.getUser('w-user-1'))?.preferences, { styles: ['boho'], occasions: ['wedding'] });
    assert.deepEqual([await store.countItems(), await store.countUsers(), await store.countEvents()], [2, 2, 3]);
    await store.close();
  });

  it('reads gzipped parts, and refuses a directory with none of them', async () => {
    const world = tempDir('vitrine-world-gz-');
    for (const name of ['items.jsonl', 'users.jsonl', 'events.jsonl']) {
      writeFileSync(join(world, `${name}.gz`), gzipSync(readFileSync(fixture('world', name))));
    }
    const store = freshStore(dir);
    const s = await importWorld(store, world);
    assert.deepEqual([s.items, s.members, s.events], [2, 2, 3]);
    await assert.rejects(importWorld(store, tempDir('vitrine-empty-')), (e: VitrineError) => e.code === 'VITRINE_IMPORT_FILE_NOT_FOUND');
    await store.close();
  });
});
