/**
 * The page cache (page-cache.ts, ADR 0007) over HTTP on the real store, catalogue view and trained
 * models, with known answers: a repeat page is reused (same rows and row order, a new pageId, logged
 * like any other) and its pre-serialised JSON is what the route's schema would have sent; the member's
 * rent, a sell-out, a new item and a model swap each make the next page afresh; with the cache off the
 * page is the same.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../src/core/config.ts';
import { trainModels } from '../src/pipeline/model-training.ts';
import { buildApp, type VitrineApp } from '../src/serving/app.ts';
import type { Page } from '../src/serving/page/types.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { ids, looksWorld, NOW, rowsOf } from './helpers/looks-world.ts';
import { waitFor } from './helpers/wait-for.ts';
import { localReplica } from './helpers/app.ts';
import { UNHURRIED_SERVING } from './helpers/unhurried.ts';

describe('page cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-page-cache-'));
  const store = new SqliteStore(join(dir, 'vitrine.db'));
  const config = (rowCacheMembers: number) =>
    resolveConfig({ dataDir: dir, serving: { primaryAlgorithm: 'item-knn', rowCacheMembers, ...UNHURRIED_SERVING }, training: { inWorker: false } });
  let v: VitrineApp;
  let uncached: VitrineApp;
  const page = async (app: VitrineApp, userId = 'ann'): Promise<{ page: Page; contentType: string | undefined }> => {
    const r = await app.app.inject({ url: `/v1/users/${userId}/page?rows=6&size=4` });
    assert.equal(r.statusCode, 200, r.body);
    return { page: r.json(), contentType: r.headers['content-type'] as string | undefined };
  };
  const lookups = () => localReplica(v).engine.pageCache?.stats() ?? { hits: -1, misses: -1 };

  before(async () => {
    await looksWorld(store);
    for (let k = 0; k < 2; k++) await trainModels(store, dir, { algorithms: ['item-knn', 'popularity'], gate: false });
    v = await buildApp({ config: config(100), store, logger: false, clock: () => NOW });
    // rows in the template's order, so the pages of both apps can be compared
    const fixed = { variants: [{ name: 'all', weight: 1, config: { rowOrder: 'fixed' } }], status: 'running' };
    assert.ok((await v.app.inject({ method: 'PUT', url: '/v1/experiments/fixed', payload: fixed })).statusCode < 300);
    uncached = await buildApp({ config: config(0), store, logger: false, clock: () => NOW });
  });
  after(async () => {
    await v.app.close();
    await uncached.app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a repeat page is reused: the same rows in the same order, a new pageId, the JSON the schema gives, logged', async () => {
    const first = await page(v);
    const before = lookups();
    const second = await page(v);
    assert.equal(lookups().hits, before.hits + 1, 'reused');
    assert.notEqual(second.page.pageId, first.page.pageId);
    assert.deepEqual(rowsOf(second.page), rowsOf(first.page), 'rows, items, scores, reasons and order as composed');
    assert.equal(second.contentType, first.contentType);
    assert.match(second.contentType ?? '', /^application\/json/);
    const { pageId: _a, tookMs: _b, rows: _c, ...headFirst } = first.page;
    const { pageId: _d, tookMs: _e, rows: _f, ...headSecond } = second.page;
    assert.deepEqual(headSecond, headFirst, 'userId, variant, modelVersion, fallbacks');
    assert.deepEqual(Object.keys(second.page).sort(), Object.keys(first.page).sort(), 'no field more or less than the schema sends');
    await waitFor(async () => (await store.lastImpression('ann'))?.pageId === second.page.pageId, 'the reused page record');
    assert.equal((await store.lastImpression('ann'))?.pageId, second.page.pageId, 'the reused page is logged as served');
    assert.deepEqual(rowsOf((await page(uncached)).page), rowsOf(first.page), 'the same page as with the caches off');
  });

  it("the member's rent, a sell-out, a new item and a model swap each make the next page afresh", async () => {
    const shown = ids((await page(v)).page);
    const rented = shown[0];
    const rent = await v.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [{ id: 'ann-rent', type: 'rent', userId: 'ann', itemId: rented, ts: NOW, size: '8' }] } });
    assert.equal(rent.statusCode, 200, rent.body);
    const afterRent = ids((await page(v)).page);
    assert.ok(!afterRent.includes(rented), 'the rented item is gone from the next page');

    const soldOut = afterRent[0];
    assert.equal((await v.app.inject({ method: 'PATCH', url: `/v1/items/${soldOut}/availability`, payload: { sizes: { 8: 0 } } })).statusCode, 200);
    const afterSellOut = ids((await page(v)).page);
    assert.ok(!afterSellOut.includes(soldOut), 'the item sold out in her size is gone');

    const misses = lookups().misses;
    assert.equal((await v.app.inject({ method: 'PUT', url: '/v1/items/brand-new', payload: { title: 'Brand new', category: 'dress', sizes: { 8: 1 } } })).statusCode < 300, true);
    const afterNewItem = (await page(v)).page;
    assert.equal(lookups().misses, misses + 1, 'an item write: composed afresh');
    assert.ok(ids(afterNewItem).includes('brand-new'), 'the new item is on the very next page (new arrivals)');

    await page(v);
    const beforeSwap = lookups().misses;
    const versions = (await store.listModels()).filter((m) => m.algorithm === 'item-knn' && m.status !== 'active');
    assert.ok(versions.length > 0);
    assert.equal((await v.app.inject({ method: 'POST', url: `/v1/models/${versions[0].version}/activate` })).statusCode, 200);
    const afterSwap = (await page(v)).page;
    assert.equal(lookups().misses, beforeSwap + 1, 'a model swap: composed afresh');
    assert.equal(afterSwap.modelVersion, versions[0].version);
  });
});
