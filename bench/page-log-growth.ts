/**
 * `node --import tsx bench/page-log-growth.ts`: what one page record costs the server's process as the
 * page log grows (issue 20's soak: CPU per request rose 1.87 → 2.46 ms while page records took the
 * store from 265 to 897 MB). The server's own set-up: a file store with the page log's writer thread
 * and the background checkpointer (serve.ts), batches of pages as the page engine flushes them, pages
 * of 8 rows × 20 items of a 5,000-item catalogue for members drawn from 50,000. Reports, per slice of
 * records, the process's CPU per record (every thread: the writer and the checkpointer included) and
 * the file's size, so the cost can be read against the store's size.
 *   node --import tsx bench/page-log-growth.ts [--records 400000] [--slice 50000] [--batch 60] [--dir DIR]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import type { ImpressionRecord } from '../src/storage/store.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '400000' }, slice: { type: 'string', default: '50000' },
    batch: { type: 'string', default: '60' }, dir: { type: 'string' },
  },
});
const total = Number(values.records), slice = Number(values.slice), batch = Number(values.batch);
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'vitrine-page-log-'));
const path = join(dir, 'vitrine.db');
const store = new SqliteStore(path, { backgroundCheckpoint: true, backgroundImpressionLog: true });

// a small deterministic generator: the same records every run
let state = 12345;
const next = (n: number): number => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state % n;
};
const ROW_KINDS = ['because-you-rented', 'trending', 'new-in', 'your-size', 'similar', 'occasion', 'brand', 'back-in-stock'];
const itemId = (i: number): string => `i${String(i + 1).padStart(4, '0')}`;
const t0 = Date.UTC(2026, 11, 7);

function record(n: number): ImpressionRecord {
  const rows = ROW_KINDS.map((kind, r) => ({ rowId: `${kind}-${r}`, kind, items: Array.from({ length: 20 }, () => itemId(next(5000))) }));
  return { pageId: `pg-${(t0 + n).toString(36)}-${n}`, userId: `u${String(next(50_000) + 1).padStart(5, '0')}`, ts: t0 + n,
    variant: 'exp:a', modelVersion: 'als-20261207T000000Z', rows };
}

const fileMB = (): string => {
  const size = (p: string) => { try { return statSync(p).size; } catch { return 0; } };
  return `${Math.round(size(path) / 1e5) / 10} (+ ${Math.round(size(`${path}-wal`) / 1e5) / 10})`;
};

console.log(`| records | store MB (+ WAL) | CPU µs per record (all threads) | wall µs per record |`);
console.log(`|---|---|---|---|`);
let written = 0;
while (written < total) {
  const cpu0 = process.cpuUsage(), wall0 = performance.now();
  const end = Math.min(total, written + slice);
  const inFlight: Promise<void>[] = [];
  while (written < end) {
    const pages = [];
    for (let i = 0; i < batch && written < end; i++) pages.push({ record: record(written++), events: [] });
    inFlight.push(store.putImpressionsWithEvents(pages));
    // at most a few batches waiting, as the page engine has
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
  const cpu = process.cpuUsage(cpu0), wall = performance.now() - wall0, n = slice;
  console.log(`| ${written} | ${fileMB()} | ${((cpu.user + cpu.system) / n).toFixed(1)} | ${((wall * 1000) / n).toFixed(1)} |`);
}
await store.close();
if (!values.dir) rmSync(dir, { recursive: true, force: true });
