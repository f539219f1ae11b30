import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/core/config.ts';
import { importConfigOverrides, runImport } from '../src/cli/commands/import.ts';
import { formatProgress, ProgressBar } from '../src/cli/progress.ts';
import type { ImportProgress } from '../src/pipeline/import/index.ts';
import { openStore } from '../src/storage/open-store.ts';
import { fixture, tempDir } from './helpers/import-fixtures.ts';
import { capturing } from './helpers/capture-console.ts';

const dir = tempDir('vitrine-import-cli-');

const capture = capturing(runImport);

describe('vitrine import', () => {
  it('imports, prints the summary sentence and the bad rows by file and line', async () => {
    const db = join(dir, 'cli.db');
    const r = await capture(['rtr', fixture('rtr-small.csv'), '--store', `sqlite:${db}`, '--batch', '2']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^imported 6 events, 3 members, 4 items \(5 bad rows\) in \d+\.\d s$/m);
    assert.match(r.out, /note: RTR has no stock data: each size an item was rented in is catalogued as 1 unit/);
    assert.match(r.err, /^ {2}rtr-small\.csv:6 {2}VITRINE_IMPORT_BAD_ROW {2}expected 15 columns, got 7$/m);
    assert.match(r.err, /by code: VITRINE_IMPORT_BAD_ROW 3, VITRINE_EVENT_BAD_FIT 1, VITRINE_EVENT_TS_FUTURE 1/);
    const again = await capture(['rtr', fixture('rtr-small.csv'), '--store', `sqlite:${db}`]);
    assert.match(again.out, /^imported 0 events, 3 members, 4 items \(5 bad rows; 6 events already stored were not stored twice\)/m);
    const store = await openStore(`sqlite:${db}`);
    assert.equal(await store.countEvents(), 6);
    await store.close();
  });

  it('--data DIR writes DIR/vitrine.db; --json prints the summary as JSON', async () => {
    const data = join(dir, 'data');
    const r = await capture(['movielens', fixture('ml-latest', 'ratings.csv'), '--data', data, '--min-rating', '4', '--json']);
    assert.equal(r.code, 0);
    const s = JSON.parse(r.out) as { events: number; skipped: number; store: string };
    assert.deepEqual([s.events, s.skipped, s.store], [4, 2, `sqlite:${data}/vitrine.db`]);
  });

  it('exits 2 on usage errors and 1 on an unknown format or a missing file; --help explains the formats', async () => {
    assert.equal((await capture(['rtr'])).code, 2);
    assert.equal((await capture(['rtr', 'f.csv', '--min-rating', '3'])).code, 2);
    assert.equal((await capture(['movielens', 'f.csv', '--min-rating', 'high'])).code, 2);
    assert.equal((await capture(['rtr', 'f.csv', '--batch', '0'])).code, 2);
    assert.equal((await capture(['rtr', 'f.csv', '--bogus'])).code, 2);
    const unknown = await capture(['netflix', 'f.csv']);
    assert.deepEqual([unknown.code, /VITRINE_IMPORT_UNKNOWN_FORMAT/.test(unknown.err)], [1, true]);
    const missing = await capture(['rtr', join(dir, 'missing.csv'), '--store', `sqlite:${join(dir, 'm.db')}`]);
    assert.deepEqual([missing.code, /VITRINE_IMPORT_FILE_NOT_FOUND/.test(missing.err)], [1, true]);
    const help = await capture(['--help']);
    assert.equal(help.code, 0);
    for (const format of ['rtr', 'movielens', 'items-jsonl', 'users-jsonl', 'events-jsonl', 'world']) assert.match(help.out, new RegExp(`^  ${format} `, 'm'));
    assert.match(help.out, /ONE UNIT PER SIZE SEEN/);
  });

  it('resolves the store: --store, then --data, then VITRINE_STORE, then VITRINE_DATA_DIR, then ./data', () => {
    const url = (flags: { data?: string; store?: string }, env: NodeJS.ProcessEnv) => loadConfig(importConfigOverrides(flags), env).store.url;
    const env = { VITRINE_STORE: 'sqlite:/env/s.db', VITRINE_DATA_DIR: '/env/data' };
    assert.equal(url({ store: 'sqlite:/flag/s.db', data: '/flag/data' }, env), 'sqlite:/flag/s.db');
    assert.equal(url({ data: '/flag/data/' }, env), 'sqlite:/flag/data/vitrine.db');
    assert.equal(url({}, env), 'sqlite:/env/s.db');
    assert.equal(url({}, { VITRINE_DATA_DIR: '/env/data' }), 'sqlite:/env/data/vitrine.db');
    assert.equal(url({}, {}), 'sqlite:./data/vitrine.db');
  });
});

describe('ProgressBar', () => {
  const at = (bytesRead: number, rows: number, file = 'x.csv'): ImportProgress => ({ file, phase: 'reading', bytesRead, totalBytes: 4e6, rows });

  it('formats bytes of the file size, rows/s and the ETA', () => {
    assert.equal(formatProgress(at(1e6, 10_000), 2),
      'x.csv  [######------------------]  25%  1.0/4.0 MB  10,000 rows  5,000 rows/s  ETA 6 s');
    assert.equal(formatProgress({ ...at(4e6, 9), phase: 'members', done: 500, total: 2000 }, 30),
      'x.csv members  [######------------------]  25%  500/2,000  ETA 1 min 30 s');
  });

  it('off a terminal writes a plain line only every few seconds (a short import prints nothing)', () => {
    const written: string[] = [];
    let t = 0;
    const bar = new ProgressBar({ sink: { write: (s: string) => written.push(s) }, tty: false, plainEveryMs: 5000, now: () => t });
    for (t = 0; t < 5000; t += 100) bar.update(at(t * 100, t));
    assert.deepEqual(written, []);
    t = 5000;
    bar.update(at(2e6, 5000));
    assert.equal(written.length, 1);
    assert.match(written[0], /^x\.csv .* 50% .*1,000 rows\/s {2}ETA 5 s\n$/);
    bar.finish();
    assert.equal(written.length, 1);
  });

  it('on a terminal redraws one line in place at most every 100 ms and clears it at the end', () => {
    const written: string[] = [];
    let t = 0;
    const bar = new ProgressBar({ sink: { write: (s: string) => written.push(s), isTTY: true }, now: () => t });
    for (t = 0; t <= 1000; t += 10) bar.update(at(t * 1000, t));
    assert.equal(written.length, 11);
    assert.ok(written.every((s) => s.startsWith('\r\x1b[K') && !s.includes('\n')));
    bar.finish();
    assert.equal(written.at(-1), '\r\x1b[K');
  });
});
