/**
 * Page-record retention (page-record-retention.ts): with an injected clock, a pass deletes exactly the
 * records older than the retention, in bounded batches, on a store opened as the server opens it (the
 * deletes run on the page log's thread); a pass is bounded; nothing is deleted when nothing is old.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DAY_MS } from '../src/core/time.ts';
import { PageRecordRetention } from '../src/storage/page-record-retention.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';

const T0 = Date.UTC(2026, 11, 1);
const dir = mkdtempSync(join(tmpdir(), 'vitrine-retention-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** 25 pages a day for 10 days (days 0..9), so day d's pages are `d*25 .. d*25+24`. */
async function storeWithTenDays(name: string): Promise<SqliteStore> {
  const store = new SqliteStore(join(dir, `${name}.db`), { backgroundCheckpoint: true, backgroundImpressionLog: true });
  const pages = Array.from({ length: 250 }, (_, k) => ({
    record: { pageId: `p${k}`, userId: `m${k % 4}`, ts: T0 + Math.floor(k / 25) * DAY_MS + (k % 25), rows: [{ rowId: 'r', kind: 'for-you', items: [`i${k % 9}`] }] },
    events: [],
  }));
  await store.putImpressionsWithEvents(pages);
  return store;
}
const remaining = (store: SqliteStore) => store.db.prepare('SELECT page_id FROM impressions ORDER BY ts').pluck().all() as string[];

describe('page-record retention', () => {
  it('deletes exactly the records older than N days, in batches, and nothing on a second pass', async () => {
    const store = await storeWithTenDays('exact');
    try {
      const calls: Array<[number, number]> = [];
      const counting = { deletePageRecordsBefore: (cutoff: number, limit: number) => (calls.push([cutoff, limit]), store.deletePageRecordsBefore(cutoff, limit)) };
      // now = day 10, 12:00; 3 days kept: the cutoff is day 7, 12:00, so days 0..6 go and day 7's pages (00:00) go too
      const now = T0 + 10 * DAY_MS + DAY_MS / 2;
      const retention = new PageRecordRetention({ store: counting, days: 3, clock: () => now, batchSize: 40 });
      assert.equal(await retention.runOnce(), 200);
      assert.deepEqual(remaining(store), Array.from({ length: 50 }, (_, k) => `p${200 + k}`));
      // 200 in batches of 40: five full ones, then one that finds nothing and ends the pass
      assert.deepEqual(calls, Array.from({ length: 6 }, () => [now - 3 * DAY_MS, 40]));
      assert.equal(await retention.runOnce(), 0);
      assert.equal(retention.deleted, 200);
    } finally {
      await store.close();
    }
  });

  it('keeps a pass bounded: at most maxBatchesPerPass batches, the rest to the next pass', async () => {
    const store = await storeWithTenDays('bounded');
    try {
      const retention = new PageRecordRetention({ store, days: 1, clock: () => T0 + 10 * DAY_MS, batchSize: 30, maxBatchesPerPass: 2 });
      assert.equal(await retention.runOnce(), 60);
      assert.equal(remaining(store)[0], 'p60', 'oldest first');
      assert.equal(await retention.runOnce(), 60);
      assert.equal(remaining(store).length, 130);
    } finally {
      await store.close();
    }
  });

  it('refuses zero or negative days (0 in the config means no retention object at all)', () => {
    assert.throws(() => new PageRecordRetention({ store: { deletePageRecordsBefore: async () => 0 }, days: 0 }), RangeError);
  });
});
