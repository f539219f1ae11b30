/**
 * The store's size cap (store.maxSizeBytes, docs/operations.md § Store size): page records stop
 * first, at PAGE_LOG_SHARE of the cap; events and profiles are still accepted until the cap itself,
 * then refused with 503 VITRINE_STORE_FULL. Tested with a tiny cap.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { VitrineError } from '../src/core/errors.ts';
import type { ImpressionRecord } from '../src/storage/store.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { testApp } from './helpers/app.ts';

const CAP = 512 * 1024;
const T0 = Date.UTC(2026, 2, 1);
const page = (n: number): ImpressionRecord => ({
  pageId: `page-${n}`, userId: `visitor-${n % 97}`, ts: T0 + n,
  rows: [{ rowId: 'for-you', kind: 'for-you', items: Array.from({ length: 20 }, (_, k) => `look-${n}-${k}`) }],
});
const isFull = (err: unknown) => err instanceof VitrineError && err.code === 'VITRINE_STORE_FULL';

/** Writes page records in batches of 20 until the store refuses them; returns how many it took. */
async function fillWithPages(store: SqliteStore, from = 0): Promise<number> {
  for (let batch = 0; batch < 1000; batch++) {
    const pages = Array.from({ length: 20 }, (_, k) => ({ record: page(from + batch * 20 + k), events: [] }));
    try {
      await store.putImpressionsWithEvents(pages);
    } catch (err) {
      assert.ok(isFull(err), String(err));
      return batch * 20;
    }
  }
  throw new Error('the page log never reached its cap');
}

for (const backgroundImpressionLog of [false, true]) {
  describe(`store size cap (page records ${backgroundImpressionLog ? 'from the writer thread' : 'on the store connection'})`, () => {
    it('page records stop at 90% of the cap; events go on until the cap, then VITRINE_STORE_FULL', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vitrine-cap-'));
      const store = new SqliteStore(join(dir, 'vitrine.db'), { maxSizeBytes: CAP, backgroundImpressionLog });
      try {
        const stored = await fillWithPages(store);
        assert.ok(stored > 0, 'some page records fit');
        const used = () => (store.db.pragma('page_count', { simple: true }) as number) * 8192;
        assert.ok(used() >= CAP * 0.9 - 8192 && used() < CAP, `refused at ${used()} of ${CAP} bytes`);
        await assert.rejects(store.putImpression(page(99_999)), isFull);

        // events are still accepted past the page log's share…
        const ev = (n: number) => ({ id: `e-${n}`, type: 'rent' as const, userId: `m-${n % 13}`, itemId: `look-${n % 50}`, ts: T0 + n, size: '8' });
        assert.deepEqual(await store.appendEvents([ev(0), ev(1)]), { accepted: 2, duplicates: [] });
        // …until the cap itself; a refused batch stores nothing of itself
        let accepted = 2;
        let full = false;
        for (let batch = 0; batch < 2000 && !full; batch++) {
          const events = Array.from({ length: 50 }, (_, k) => ev(2 + batch * 50 + k));
          try {
            accepted += (await store.appendEvents(events)).accepted;
          } catch (err) {
            assert.ok(isFull(err), String(err));
            full = true;
          }
        }
        assert.ok(full, 'events reach the hard cap');
        assert.equal(await store.countEvents(), accepted, 'every acknowledged event is there, nothing of the refused batch');
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

describe('store size cap, served pages', () => {
  it('pages are still served when their records are refused: counted in vitrine_page_records_dropped_total; events still 200', async () => {
    const t = await testApp({ now: T0, sqlite: { maxSizeBytes: CAP }, config: { serving: { impressionFlushMs: 0 } } });
    try {
      const items = Array.from({ length: 10 }, (_, k) => ({ id: `look-${k}`, title: `Look ${k}`, category: 'dress', sizes: { 8: 1 } }));
      assert.equal((await t.app.inject({ method: 'POST', url: '/v1/items/batch', payload: { items } })).statusCode, 200);
      await fillWithPages(t.store);
      for (let k = 0; k < 7; k++) assert.equal((await t.app.inject({ url: `/v1/users/m${k}/page?rows=2&size=3` })).statusCode, 200);
      await t.context.serving.apply({ kind: 'flush' });
      const metrics = (await t.app.inject({ url: '/metrics' })).body;
      assert.match(metrics, /^vitrine_page_records_dropped_total 7$/m);
      const posted = await t.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [{ id: 'after-full', type: 'heart', userId: 'm1', itemId: 'look-1' }] } });
      assert.equal(posted.statusCode, 200, posted.body);
      assert.equal(posted.json().accepted, 1);
    } finally {
      await t.close();
    }
  });
});
