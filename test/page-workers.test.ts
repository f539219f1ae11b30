/**
 * Page workers (ADR 0010) over HTTP on the real store and trained models, with known answers: a
 * worker's page is the page the HTTP thread composes; every write a page depends on (a rent, a
 * sell-out, a new item, a retirement, a model swap, a forgotten member) reaches the member's worker
 * before its 200, so the very next page reflects it; pages are logged by the workers; each worker
 * holds its share of the configured member bounds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../src/core/config.ts';
import { trainModels } from '../src/pipeline/model-training.ts';
import { buildApp, type VitrineApp } from '../src/serving/app.ts';
import { workerConfig } from '../src/serving/page-workers/page-worker-pool.ts';
import { ownerOf } from '../src/serving/page-workers/protocol.ts';
import type { Page } from '../src/serving/page/types.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { ids, looksWorld, NOW, rowsOf } from './helpers/looks-world.ts';
import { waitFor } from './helpers/wait-for.ts';
import { UNHURRIED_SERVING } from './helpers/unhurried.ts';

describe('page workers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-page-workers-'));
  const store = new SqliteStore(join(dir, 'vitrine.db'));
  const config = (pageWorkers: number, pageWorkerHeapMb = 0) =>
    resolveConfig({ dataDir: dir, serving: { primaryAlgorithm: 'item-knn', pageWorkers, pageWorkerHeapMb, ...UNHURRIED_SERVING }, training: { inWorker: false } });
  let v: VitrineApp;
  const page = async (app: VitrineApp, userId: string): Promise<Page> => {
    const r = await app.app.inject({ url: `/v1/users/${userId}/page?rows=6&size=4` });
    assert.equal(r.statusCode, 200, r.body);
    return r.json();
  };
  const post = (url: string, payload?: object) => v.app.inject({ method: 'POST', url, ...(payload ? { payload } : {}) });

  before(async () => {
    await looksWorld(store, ['ann', 'eve']);
    for (let k = 0; k < 2; k++) await trainModels(store, dir, { algorithms: ['item-knn', 'popularity'], gate: false });
    v = await buildApp({ config: config(2), store, logger: false, clock: () => NOW });
    // rows in the template's order, so pages of two apps can be compared
    const fixed = { variants: [{ name: 'all', weight: 1, config: { rowOrder: 'fixed' } }], status: 'running' };
    assert.ok((await v.app.inject({ method: 'PUT', url: '/v1/experiments/fixed', payload: fixed })).statusCode < 300);
  });
  after(async () => {
    await v.app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ann and eve belong to different workers, and a worker\'s page is the one the HTTP thread composes', async () => {
    assert.notEqual(ownerOf('ann', 2), ownerOf('eve', 2), 'the test covers both workers');
    const here = await buildApp({ config: config(0), store, logger: false, clock: () => NOW });
    try {
      for (const userId of ['ann', 'eve', 'someone-new']) {
        const [fromWorker, fromHere] = [await page(v, userId), await page(here, userId)];
        assert.deepEqual(rowsOf(fromWorker), rowsOf(fromHere), `${userId}: rows, items, scores, reasons and order`);
        assert.deepEqual(Object.keys(fromWorker).sort(), Object.keys(fromHere).sort(), 'no field more or less than the schema sends');
        assert.equal(fromWorker.modelVersion, fromHere.modelVersion);
      }
      const first = await page(v, 'ann');
      await waitFor(async () => (await store.lastImpression('ann'))?.pageId === first.pageId, 'the page logged by the worker');
    } finally {
      await here.app.close();
    }
    assert.match((await v.app.inject({ url: '/metrics' })).body, /vitrine_pages_composed_total\{where="worker"\} [4-9]/);
  });

  it('lists come from the workers too, the same lists the HTTP thread makes; an unknown item is still a 404 with its code', async () => {
    const here = await buildApp({ config: config(0), store, logger: false, clock: () => NOW });
    const answer = async (app: VitrineApp, url: string, payload?: object) => {
      const r = await app.app.inject({ url, ...(payload ? { method: 'POST', payload } : {}) });
      assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
      const { tookMs: _took, ...list } = r.json();
      return list;
    };
    try {
      for (const [url, payload] of [
        ['/v1/users/ann/recommendations?n=5'], ['/v1/users/eve/recommendations?n=5&size=8'], ['/v1/items/l05/similar?n=4'],
        ['/v1/items/l05/similar?n=4&userId=eve'], ['/v1/occasions/wedding/items?n=3&userId=ann'],
        ['/v1/users/ann/rank', { itemIds: ['l20', 'l04', 'l11'] }],
      ] as Array<[string, object?]>) {
        const [fromWorker, fromHere] = [await answer(v, url, payload), await answer(here, url, payload)];
        assert.deepEqual(fromWorker, fromHere, url);
      }
      const ranked = await answer(v, '/v1/users/ann/rank', { itemIds: ['l20', 'l04', 'l11'] });
      assert.equal(ranked.items[0].itemId, 'l04', 'her own neighbourhood of looks first');
      const unknown = await v.app.inject({ url: '/v1/items/no-such-item/similar?n=4' });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().error.code, 'VITRINE_ITEM_NOT_FOUND');
    } finally {
      await here.app.close();
    }
  });

  it('with workers serving, the HTTP thread holds no read side: no member state, no model, no catalogue of its own', async () => {
    assert.ok(ids(await page(v, 'ann')).length > 0);
    assert.equal(v.context.serving.localReplica(), undefined, 'no replica on the HTTP thread');
    assert.equal(v.context.models.current('item-knn'), undefined, 'its model manager holds no model');
    const serving = (await v.app.inject({ url: '/v1/models' })).json().serving as Record<string, { current?: string }>;
    assert.ok(serving['item-knn']?.current, 'yet it knows which version the workers serve');
    const metrics = (await v.app.inject({ url: '/metrics' })).body;
    assert.match(metrics, /^vitrine_online_members [1-9]/m, 'the members the workers hold');
    assert.doesNotMatch(metrics, /vitrine_pages_composed_total\{where="http-thread"\}/);
  });

  it('a rent, a sell-out, a new item, a retirement, a batch of items and a model swap each reach the next page', async () => {
    for (const userId of ['ann', 'eve']) {
      const rented = ids(await page(v, userId))[0];
      const rent = await post('/v1/events', { events: [{ id: `${userId}-rent`, type: 'rent', userId, itemId: rented, ts: NOW, size: '8' }] });
      assert.equal(rent.statusCode, 200, rent.body);
      assert.ok(!ids(await page(v, userId)).includes(rented), `${userId}: the rented item is gone from the next page`);
    }
    const soldOut = ids(await page(v, 'ann'))[0];
    assert.equal((await v.app.inject({ method: 'PATCH', url: `/v1/items/${soldOut}/availability`, payload: { sizes: { 8: 0 } } })).statusCode, 200);
    assert.ok(!ids(await page(v, 'ann')).includes(soldOut), 'sold out in her size: gone');

    assert.ok((await v.app.inject({ method: 'PUT', url: '/v1/items/brand-new', payload: { title: 'Brand new', category: 'dress', sizes: { 8: 1 } } })).statusCode < 300);
    for (const userId of ['ann', 'eve']) assert.ok(ids(await page(v, userId)).includes('brand-new'), `${userId}: the new item is on the very next page`);
    assert.equal((await v.app.inject({ method: 'DELETE', url: '/v1/items/brand-new' })).statusCode, 200);
    for (const userId of ['ann', 'eve']) assert.ok(!ids(await page(v, userId)).includes('brand-new'), `${userId}: retired, never shown again`);
    const batch = await post('/v1/items/batch', { items: ['batch-a', 'batch-b'].map((id) => ({ id, title: id, category: 'dress', sizes: { 8: 1 } })) });
    assert.equal(batch.json().created, 2, batch.body);
    for (const userId of ['ann', 'eve']) {
      const shown = ids(await page(v, userId));
      assert.ok(shown.includes('batch-a') && shown.includes('batch-b'), `${userId}: a batch's items are on the very next page`);
    }

    const versions = (await store.listModels()).filter((m) => m.algorithm === 'item-knn' && m.status !== 'active');
    assert.ok(versions.length > 0);
    assert.equal((await post(`/v1/models/${versions[0].version}/activate`)).statusCode, 200);
    for (const userId of ['ann', 'eve']) assert.equal((await page(v, userId)).modelVersion, versions[0].version, `${userId}: the activated version`);
    assert.equal((await post('/v1/models/rollback', { algorithm: 'item-knn' })).statusCode, 200);
    for (const userId of ['ann', 'eve']) assert.notEqual((await page(v, userId)).modelVersion, versions[0].version, `${userId}: rolled back`);
  });

  it('the workers read no model file themselves: they serve from the HTTP thread\'s payloads, also after a swap', async () => {
    const gauge = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec((await v.app.inject({ url: '/metrics' })).body)?.[1]);
    // what the loaded versions' manifests list, each digest once: the bytes held, in one copy
    const serving = (await v.app.inject({ url: '/v1/models' })).json().serving as Record<string, { current?: string; previous?: string }>;
    const records = await store.listModels();
    const digests = new Map<string, number>();
    for (const version of Object.values(serving).flatMap((s) => [s.current, s.previous]).filter((x): x is string => !!x)) {
      const record = records.find((r) => r.version === version);
      const manifest = JSON.parse(readFileSync(join(dir, record?.artifactPath ?? '', 'manifest.json'), 'utf8')) as { payloads: Record<string, { dtype: string; length: number; sha256: string }> };
      for (const p of Object.values(manifest.payloads)) if (p.dtype !== 'string[]') digests.set(p.sha256, p.length * (p.dtype === 'float64' ? 8 : p.dtype === 'uint8' ? 1 : 4));
    }
    assert.ok(digests.size > 0);
    assert.equal(await gauge('vitrine_model_payload_bytes'), [...digests.values()].reduce((a, b) => a + b, 0));
    assert.equal(await gauge('vitrine_page_worker_model_bytes_read'), 0, 'activate and rollback ran before this: still nothing read');
  });

  it('each worker holds a share of the members the configuration bounds, so the bounds hold for the process', () => {
    const base = config(3);
    const share = workerConfig(base, 3).serving;
    assert.equal(share.memberStateCap, Math.ceil(base.serving.memberStateCap / 3));
    assert.equal(share.rowCacheMembers, Math.ceil(base.serving.rowCacheMembers / 3));
    assert.equal(share.foldInCacheSize, Math.ceil(base.serving.foldInCacheSize / 3));
    assert.deepEqual({ ...share, memberStateCap: 0, rowCacheMembers: 0, foldInCacheSize: 0 },
      { ...base.serving, memberStateCap: 0, rowCacheMembers: 0, foldInCacheSize: 0 }, 'nothing else changes');
    assert.equal(workerConfig(resolveConfig({ serving: { rowCacheMembers: 0 } }), 2).serving.rowCacheMembers, 0, 'off stays off');
  });

  it('serving.pageWorkerHeapMb bounds each worker\'s heap; one that cannot fit in it does not start', async () => {
    const bounded = await buildApp({ config: config(2, 200), store, logger: false });
    let limits: number;
    try {
      limits = Number(/^vitrine_page_worker_heap_limit_bytes (\S+)$/m.exec((await bounded.app.inject({ url: '/metrics' })).body)?.[1]);
    } finally {
      await bounded.app.close();
    }
    const unbounded = Number(/^vitrine_page_worker_heap_limit_bytes (\S+)$/m.exec((await v.app.inject({ url: '/metrics' })).body)?.[1]);
    assert.ok(limits > 2 * 200e6 && limits < 2 * 300e6, `2 workers bounded at 200 MB of old generation: ${limits}`);
    assert.ok(unbounded > 2 * limits, `V8's default is far larger: ${unbounded}`);
    await assert.rejects(buildApp({ config: config(1, 2), store, logger: false }), /page worker 0/);
  });

  it('a forgotten member gets the page of someone never seen', async () => {
    assert.equal((await v.app.inject({ method: 'DELETE', url: '/v1/users/eve' })).statusCode, 200);
    assert.deepEqual(ids(await page(v, 'eve')), ids(await page(v, 'never-seen')));
  });
});
