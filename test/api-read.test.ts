/**
 * The read endpoints over HTTP (in-process), on the real store, online state, catalogue view and
 * trained models, with known answers: group tastes learnt by item-knn, sizes, holds and returns,
 * a curated row, occasions, bad input, and every VITRINE_FAULT value still serving within budget —
 * with pages composed on the HTTP thread and by page workers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../src/core/config.ts';
import type { VitrineEvent } from '../src/core/types.ts';
import { trainModels } from '../src/pipeline/model-training.ts';
import { buildApp, type VitrineApp } from '../src/serving/app.ts';
import { ownerOf } from '../src/serving/page-workers/protocol.ts';
import type { Page } from '../src/serving/page/types.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { UNHURRIED_SERVING } from './helpers/unhurried.ts';
import { VirtualTimers } from './helpers/serving-fakes.ts';
import { waitFor } from './helpers/wait-for.ts';

const NOW = Date.UTC(2026, 4, 20, 12);
const DAY = 86_400_000;
// three taste groups of ten looks; even looks come in size 8 (and 10), odd ones only in 10
const look = (k: number) => `i${String(k).padStart(2, '0')}`;
const GROUPS = [0, 1, 2].map((g) => Array.from({ length: 10 }, (_, k) => look(g * 10 + k)));
const ids = (rows: Page['rows']) => rows.flatMap((r) => r.items.map((i) => i.itemId));

let seq = 0;
const event = (e: Omit<VitrineEvent, 'id'>): VitrineEvent => ({ id: `ev${++seq}`, ...e });

async function world(store: SqliteStore): Promise<void> {
  await store.upsertItems([
    ...GROUPS.flat().map((id, k) => ({ id, title: `Look ${k}`, category: 'dress', sizes: (k % 2 === 0 ? { 8: 2, 10: 1 } : { 10: 1 }) as Record<string, number> })),
    { id: 'j0', title: 'Jumpsuit', category: 'jumpsuit', sizes: { 8: 1 } },
  ], NOW - 90 * DAY);
  const events: VitrineEvent[] = [];
  GROUPS.forEach((items, g) => {
    for (let m = 0; m < 4; m++) {
      for (const itemId of g === 0 ? [...items, 'j0'] : items) events.push(event({ type: 'rent', userId: `g${g}m${m}`, itemId, ts: NOW - 30 * DAY }));
    }
  });
  // ann loves group 0: she rented look 4 and returned it five days ago
  events.push(event({ type: 'rent', userId: 'ann', itemId: 'i04', ts: NOW - 20 * DAY, size: '8' }));
  events.push(event({ type: 'return', userId: 'ann', itemId: 'i04', ts: NOW - 5 * DAY }));
  await store.appendEvents(events);
  await store.upsertUser('ann', { sizes: ['8'], upcoming: [{ occasion: 'wedding', date: Date.UTC(2026, 5, 5) }] }, NOW - 30 * DAY);
}

// every known answer twice: pages composed on the HTTP thread, and by two page workers (ADR 0010)
for (const pageWorkers of [0, 2]) describe(`read endpoints (${pageWorkers ? `${pageWorkers} page workers` : 'pages on the HTTP thread'})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-read-'));
  const store = new SqliteStore(join(dir, 'vitrine.db'));
  const config = resolveConfig({ dataDir: dir, serving: { primaryAlgorithm: 'item-knn', pageWorkers, ...UNHURRIED_SERVING }, training: { inWorker: false } });
  const build = () => buildApp({ config, store, logger: false, clock: () => NOW });
  let v: VitrineApp;
  const get = async (url: string) => v.app.inject({ url });
  const page = async (userId: string, query = 'rows=8&size=3'): Promise<Page> => {
    const r = await get(`/v1/users/${userId}/page?${query}`);
    assert.equal(r.statusCode, 200, r.body);
    return r.json();
  };

  before(async () => {
    await world(store);
    // two versions each, so the previous one is there for the fallback chain
    for (let k = 0; k < 2; k++) await trainModels(store, dir, { algorithms: ['item-knn', 'popularity', 'popularity-recent'], gate: false });
    v = await build();
    await v.app.ready();
    // rows in the template's order (an experiment variant turns the row-order bandit off), small rows
    const put = (url: string, payload: object) => v.app.inject({ method: 'PUT', url, payload });
    assert.ok((await put('/v1/experiments/fixed', { variants: [{ name: 'all', weight: 1, config: { rowOrder: 'fixed' } }], status: 'running' })).statusCode < 300);
    const rows = ['for-you', 'because-you-liked', 'for-occasion', 'trending', 'new-arrivals', 'popular-in-your-size', 'back-in-your-size'];
    assert.ok((await put('/v1/pages/home', { rows: rows.map((kind) => ({ kind })) })).statusCode < 300);
  });
  after(async () => {
    await v.app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a page for a member: her taste first, only looks in her size, nothing returned lately, nothing twice', async () => {
    const p = await page('ann');
    const all = ids(p.rows);
    assert.ok(p.rows.length >= 3, p.rows.map((r) => r.kind).join());
    assert.deepEqual(all.filter((id) => id !== 'j0' && Number(id.slice(1)) % 2 === 1), [], 'no look without units in size 8');
    assert.ok(!all.includes('i04'), 'returned five days ago');
    assert.equal(new Set(all).size, all.length);
    const forYou = p.rows.find((r) => r.kind === 'for-you');
    assert.ok(forYou);
    assert.deepEqual(p.rows[0], forYou, 'the template order: the variant says fixed');
    assert.ok(forYou.items.every((i) => GROUPS[0].includes(i.itemId) || i.itemId === 'j0'), JSON.stringify(forYou.items));
    assert.match(p.modelVersion ?? '', /^item-knn-/);
    // no fit model is trained here: the size filter held (above), losing the fit filter is named
    assert.deepEqual(p.fallbacks.map((f) => [f.rowId, f.kind, f.used]), [['page', 'fit-filter', ['size-availability']]]);
    assert.equal(p.variant, 'fixed:all');
  });

  it('a rent leaves the very next page and seeds because-you-liked; the page is logged', async () => {
    const r = await v.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [{ id: 'rent-i02', type: 'rent', userId: 'ann', itemId: 'i02', ts: NOW, size: '8' }] } });
    assert.equal(r.statusCode, 200, r.body);
    const p = await page('ann');
    assert.ok(!ids(p.rows).includes('i02'));
    const byl = p.rows.find((row) => row.kind === 'because-you-liked');
    assert.equal(byl?.rowId, 'because-you-liked:i02');
    assert.equal(byl?.title, 'Because you loved Look 2');
    assert.ok(byl?.items.every((i) => GROUPS[0].includes(i.itemId) || i.itemId === 'j0'));
    await waitFor(async () => (await store.lastImpression('ann'))?.pageId === p.pageId, "the page's record");
    assert.equal((await store.lastImpression('ann'))?.pageId, p.pageId, 'logged after the response');
  });

  it('for-occasion: her upcoming wedding, from what members rent for weddings', async () => {
    const weddings = [...['w1', 'w2', 'w3'].map((u) => ({ u, i: 'i22' })), ...['w4', 'w5'].map((u) => ({ u, i: 'i26' }))];
    await v.app.inject({ method: 'POST', url: '/v1/events', payload: {
      events: weddings.map(({ u, i }, k) => ({ id: `wed${k}`, type: 'rent', userId: u, itemId: i, ts: NOW - DAY, occasion: 'Wedding' })),
    } });
    const row = (await page('ann')).rows.find((r) => r.kind === 'for-occasion');
    assert.equal(row?.title, 'For your wedding on 5 June');
    assert.deepEqual(row?.items.map((i) => i.itemId), ['i22', 'i26']);
    const list = (await get('/v1/occasions/wedding/items?n=5')).json();
    assert.deepEqual(list.items.map((i: { itemId: string }) => i.itemId), ['i22', 'i26']);
    assert.deepEqual((await get('/v1/occasions/picnic/items')).json().items, [], 'an occasion nobody rented for: empty, not an error');
  });

  it('a curated row holds exactly its servable items, best for the member first', async () => {
    const admin = (method: 'PUT', url: string, payload: object) => v.app.inject({ method, url, payload });
    assert.ok((await admin('PUT', '/v1/carousels/edit', { title: 'The edit', itemIds: ['i20', 'i01', 'i06', 'i12', 'nope'], personalize: true })).statusCode < 300);
    assert.ok((await admin('PUT', '/v1/pages/shop', { rows: [{ kind: 'for-you' }, { kind: 'curated', carouselId: 'edit' }] })).statusCode < 300);
    const p = await page('ann', 'page=shop&rows=4&size=10');
    const curated = p.rows.find((r) => r.kind === 'curated');
    assert.equal(curated?.title, 'The edit');
    assert.deepEqual(curated?.items.map((i) => i.itemId), ['i06', 'i20', 'i12'], 'her group first, then the stylist order; i01 has no size 8, "nope" is unknown');
  });

  it('similar, recommendations and rank', async () => {
    const similar = (await get('/v1/items/i00/similar?n=9')).json();
    assert.ok(similar.items.every((i: { itemId: string }) => GROUPS[0].includes(i.itemId) || i.itemId === 'j0'), JSON.stringify(similar.items));
    assert.equal(similar.items[0].reason, 'Similar to Look 0');
    const forAnn = (await get('/v1/items/i00/similar?n=9&userId=ann')).json();
    assert.ok(forAnn.items.every((i: { itemId: string }) => !['i02', 'i04', 'i01', 'i03'].includes(i.itemId)));

    const recs = (await get('/v1/users/ann/recommendations?n=3&category=jumpsuit')).json();
    assert.deepEqual(recs.items.map((i: { itemId: string }) => i.itemId), ['j0']);
    const inTen = (await get('/v1/users/ann/recommendations?n=20&size=10')).json();
    assert.ok(inTen.items.some((i: { itemId: string }) => Number(i.itemId.slice(1)) % 2 === 1), 'size=10 lets odd looks in');

    const ranked = (await v.app.inject({ method: 'POST', url: '/v1/users/ann/rank', payload: { itemIds: ['i20', 'i06', 'i01', 'i08'] } })).json();
    const order = ranked.items.map((i: { itemId: string }) => i.itemId);
    assert.deepEqual(new Set(order.slice(0, 2)), new Set(['i06', 'i08']));
    assert.deepEqual(order.slice(2), ['i20', 'i01'], 'what she cannot have (no size 8) goes last');
  });

  it('an unknown member gets a cold-start page', async () => {
    const p = await page('someone-new');
    assert.ok(p.rows.length >= 2, p.rows.map((r) => r.kind).join());
    assert.ok(p.rows.some((r) => r.kind === 'new-arrivals' || r.kind === 'trending'));
  });

  it('bad input: n, rows and size out of range are 400; an unknown item is a 404 with its code', async () => {
    for (const url of ['/v1/users/ann/page?rows=0', '/v1/users/ann/page?rows=21', '/v1/users/ann/page?size=0', '/v1/users/ann/page?size=101',
      '/v1/users/ann/recommendations?n=0', '/v1/users/ann/recommendations?n=201', '/v1/items/i00/similar?n=1000', '/v1/occasions/wedding/items?n=-1',
      '/v1/users/ann/page?rows=two']) {
      const r = await get(url);
      assert.equal(r.statusCode, 400, url);
      assert.equal(r.json().error.code, 'VITRINE_REQUEST_INVALID', url);
    }
    const missing = await get('/v1/items/no-such/similar');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'VITRINE_ITEM_NOT_FOUND');
    assert.equal((await get('/v1/users/ann/page?page=nope')).json().error.code, 'VITRINE_PAGE_NOT_FOUND');
    for (const payload of [{ itemIds: [] }, { itemIds: ['a', 'a'] }, { itemIds: ['a'], extra: 1 }]) {
      assert.equal((await v.app.inject({ method: 'POST', url: '/v1/users/ann/rank', payload })).statusCode, 400, JSON.stringify(payload));
    }
  });

  for (const fault of ['model-throw', 'model-hang', 'model-corrupt'] as const) {
    // On the HTTP thread the deadlines run on a virtual clock with the default budgets, so "within
    // budget" is exact and load cannot fail it. Page workers keep real timers (a function cannot cross
    // to a thread): a throw or corrupt output is checked there with unhurried budgets, and a hang with
    // the default ones, up to the timeout it must cause (which source answers next then depends on the
    // real time left; the virtual-clock case and test/serving-fallback.test.ts pin it).
    const virtualClock = !pageWorkers;
    const exactFallback = virtualClock || fault !== 'model-hang';
    it(`VITRINE_FAULT=${fault}: every page is still served${virtualClock ? ' within budget + 10 ms (virtual clock)' : ''}, the fallback named and counted`, async () => {
      const timers = new VirtualTimers();
      // one worker shows the fault reaching the workers' models as well as two, at half the start-up
      const serving = { primaryAlgorithm: 'item-knn', pageWorkers: Math.min(pageWorkers, 1), ...(virtualClock || !exactFallback ? {} : UNHURRIED_SERVING) };
      const faultConfig = resolveConfig({ dataDir: dir, serving, training: { inWorker: false } });
      process.env.VITRINE_FAULT = fault;
      let faulty: VitrineApp;
      try {
        faulty = await buildApp({ config: faultConfig, store, logger: false, clock: () => NOW, ...(virtualClock ? { timers } : {}) });
      } finally {
        delete process.env.VITRINE_FAULT;
      }
      try {
        await faulty.app.ready();
        for (const userId of ['ann', 'g1m0', 'someone-new']) {
          const startedAt = timers.now();
          const r = await faulty.app.inject({ url: `/v1/users/${userId}/page` });
          assert.equal(r.statusCode, 200, r.body);
          const p: Page = r.json();
          if (virtualClock) {
            assert.ok(p.tookMs <= faultConfig.serving.budgetMs + 10, `${userId}: ${p.tookMs} ms`);
            // a hanging model is abandoned at its share of the budget: only then does the clock move
            if (userId !== 'someone-new') assert.equal(timers.now() > startedAt, fault === 'model-hang', `${userId}: the virtual clock moved ${timers.now() - startedAt} ms`);
          }
          assert.ok(p.rows.length > 0);
          if (userId === 'someone-new') continue;
          const note = p.fallbacks.find((f) => f.kind === 'for-you');
          assert.ok(note, JSON.stringify(p.fallbacks));
          assert.equal(note.failed[0].source, 'current-model');
          assert.equal(note.failed[0].cause, { 'model-throw': 'error', 'model-hang': 'timeout', 'model-corrupt': 'corrupt' }[fault]);
          if (exactFallback) assert.equal(note.used[0], 'previous-model');
        }
        const metrics = (await faulty.app.inject({ url: '/metrics' })).body;
        if (exactFallback) assert.match(metrics, /vitrine_fallbacks_total\{source="previous-model",kind="for-you"\} [1-9]/);
      } finally {
        await faulty.app.close();
      }
    });
  }

  if (pageWorkers) {
    it('pages come from the workers; a lost worker\'s members are served by the other one, with both lost by a standby on the HTTP thread; always fresh', async () => {
      const metrics = async () => (await get('/metrics')).body;
      const composed = async (where: string) => Number(new RegExp(`vitrine_pages_composed_total\\{where="${where}"\\} (\\d+)`).exec(await metrics())?.[1] ?? 0);
      const rent = async (itemId: string) => {
        const r = await v.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [{ id: `rent-${itemId}`, type: 'rent', userId: 'ann', itemId, ts: NOW, size: '8' }] } });
        assert.equal(r.statusCode, 200, r.body);
      };
      assert.ok(await composed('worker') > 0);
      assert.equal(await composed('http-thread'), 0);
      assert.match(await metrics(), /vitrine_page_workers_live 2\b/);
      const threads = v.pageWorkers?.threads() ?? [];
      assert.equal(threads.length, 2);

      // ann's own worker lost: the other one reads her from the store and gets every change
      const shown = ids((await page('ann')).rows);
      assert.ok(shown.includes('i06') && shown.includes('i08'), 'two of her looks in size 8, before she rents them');
      await threads[ownerOf('ann', 2)].terminate();
      await waitFor(async () => /vitrine_page_workers_live 1\b/.test(await metrics()), 'her worker out of service');
      await rent('i06');
      assert.ok(!ids((await page('ann')).rows).includes('i06'), 'the rent is reflected by the other worker');
      assert.ok(await composed('other-worker') > 0);
      assert.equal(v.context.serving.localReplica(), undefined, 'the HTTP thread still holds no read side');
      await waitFor(async () => /vitrine_page_workers_live 2\b/.test(await metrics()), 'her worker replaced');

      // both lost: a standby read side starts on the HTTP thread
      await Promise.all((v.pageWorkers?.threads() ?? []).map((t) => t.terminate()));
      await waitFor(async () => /vitrine_page_workers_live 0\b/.test(await metrics()), 'both workers out of service');
      await rent('i08');
      assert.ok(!ids((await page('ann')).rows).includes('i08'), 'the rent is reflected on the HTTP thread');
      assert.ok(await composed('http-thread') > 0);
      assert.ok(v.context.serving.localReplica(), 'the standby started');

      await waitFor(async () => /vitrine_page_workers_live 2\b/.test(await metrics()), 'both workers replaced');
      assert.match(await metrics(), /vitrine_page_worker_restarts_total 3\b/);
      const before = await composed('worker');
      const again = ids((await page('ann')).rows);
      assert.ok(!again.includes('i06') && !again.includes('i08'), 'the replacements read her state from the store: both rents still hold');
      assert.equal(await composed('worker'), before + 1, 'that page came from her worker again');
    });
  }
});
