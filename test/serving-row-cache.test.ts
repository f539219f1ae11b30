/**
 * The per-member row cache (row-cache.ts, ADR 0007) with known answers: a repeat page asks no model
 * again; an event, a new generation (model swap, catalogue write) or the TTL makes the next page ask
 * again; live rows expire sooner and on any restock; an item that sold out in the member's size since
 * the rows were cached is still never served; a fallback's answer is not kept, so a model that
 * recovers serves the next page. And the counters the generation is made of.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScoredItem, UserQuery, RecommendOptions } from '../src/ml/model.ts';
import { composePage, type PageRequest } from '../src/serving/page/compose/compose-page.ts';
import { MemoryCatalogue } from '../src/serving/catalogue/catalogue-view.ts';
import { PageCache } from '../src/serving/page/cache/page-cache.ts';
import { RowCache, ttlScale } from '../src/serving/page/cache/row-cache.ts';
import { NO_EXPERIMENT } from '../src/serving/page/types.ts';
import { FakeModels, fakeWorld, item, member, NOW, TableModel } from './helpers/serving-fakes.ts';

const IDS = Array.from({ length: 60 }, (_, k) => `d${String(k).padStart(2, '0')}`);
const ITEMS = IDS.map((id, k) => item(id, { title: `Dress ${k}`, sizes: { 8: 1 }, createdAt: k * 1000 }));
const rank = (id: string) => 100 - Number(id.slice(1));

/** A TableModel that counts the member recommendations it is asked for, and can be made to throw. */
class CountingModel extends TableModel {
  asked = 0;
  broken = false;
  override recommend(user: UserQuery, n: number, opts?: RecommendOptions): ScoredItem[] {
    this.asked++;
    if (this.broken) throw new Error('injected fault');
    return super.recommend(user, n, opts);
  }
}

function world(opts: { ttlMs?: number } = {}) {
  const primary = new CountingModel('item-knn', IDS, rank);
  const models = new FakeModels('item-knn').add(primary).add(new TableModel('popularity', IDS, rank));
  const w = fakeWorld({ items: ITEMS, models });
  w.online.members.set('ann', member('ann', { sizes: ['8'], revision: 1 }));
  let clock = NOW;
  let generation = 0;
  const cache = new RowCache({ members: 100, ttlMs: opts.ttlMs ?? 300_000, clock: () => clock, generation: () => generation });
  w.deps.rowCache = cache;
  w.deps.clock = () => clock;
  w.templates.set('one', { name: 'one', rows: [{ kind: 'for-you' }] });
  return {
    ...w, primary, cache,
    advance: (ms: number) => { clock += ms; },
    bump: () => { generation++; },
  };
}

/** The page becomes one new-arrivals row; the returned counter counts the catalogue scans it makes. */
function newArrivalsOnly(w: ReturnType<typeof world>): { count: number } {
  w.templates.set('one', { name: 'one', rows: [{ kind: 'new-arrivals' }] });
  const scans = { count: 0 };
  const newest = w.catalogue.newest.bind(w.catalogue);
  w.catalogue.newest = (n: number) => { scans.count++; return newest(n); };
  return scans;
}

const request = (userId: string): PageRequest => ({
  userId, page: 'one', rows: 8, size: 6, variant: { ...NO_EXPERIMENT, config: { rowOrder: 'fixed' } },
});
const firstRow = async (w: ReturnType<typeof world>) => (await composePage(request('ann'), w.deps)).page.rows[0]?.items.map((i) => i.itemId);

describe('row cache', () => {
  it('a repeat page asks the model nothing and shows the same row', async () => {
    const w = world();
    const first = await firstRow(w);
    assert.equal(w.primary.asked, 1);
    assert.deepEqual(await firstRow(w), first);
    assert.equal(w.primary.asked, 1, 'the second page came from the cache');
    assert.deepEqual(w.cache.stats().hits, 1);
    assert.deepEqual([...w.cache.missesPerKind()], [['for-you', 1]], 'the one miss, counted by row kind (vitrine_row_cache_misses)');
  });

  it("the member's next event, a new serving generation and the TTL each make the next page ask again", async () => {
    const w = world({ ttlMs: 1000 });
    await firstRow(w);
    w.online.apply([{ id: 'e1', type: 'rent', userId: 'ann', itemId: 'd00', ts: NOW, size: '8' }]);
    const afterRent = await firstRow(w);
    assert.equal(w.primary.asked, 2, 'a new revision');
    assert.ok(!afterRent?.includes('d00'), 'the rented item is gone');
    w.bump();
    await firstRow(w);
    assert.equal(w.primary.asked, 3, 'a new generation');
    w.advance(999);
    await firstRow(w);
    assert.equal(w.primary.asked, 3, 'still within the TTL');
    w.advance(1);
    await firstRow(w);
    assert.equal(w.primary.asked, 4, 'past the TTL');
  });

  it('an item sold out in the member size since the row was cached is not served from the cache', async () => {
    const w = world();
    assert.equal((await firstRow(w))?.[0], 'd00');
    w.catalogue.upsert({ ...ITEMS[0], sizes: { 8: 0 } });
    const next = await firstRow(w);
    assert.equal(w.primary.asked, 1, 'served from the cache (the fake catalogue has no revision)');
    assert.deepEqual(next, ['d01', 'd02', 'd03', 'd04', 'd05', 'd06']);
  });

  it("a fallback's answer is not kept: the recovered model serves the next page", async () => {
    const w = world();
    w.primary.broken = true;
    const failed = await composePage(request('ann'), w.deps);
    assert.ok(failed.page.fallbacks.some((f) => f.kind === 'for-you'), 'for-you fell back');
    w.primary.broken = false;
    const recovered = await composePage(request('ann'), w.deps);
    // (this world has no fit model: that page-level note stays)
    assert.deepEqual(recovered.page.fallbacks.map((f) => f.kind), ['fit-filter']);
    assert.equal(recovered.page.rows[0].items[0].reason, 'Picked for you');
    assert.equal(w.primary.asked, 2);
  });

  it('takes the whole row afresh when the filters took away more than a quarter of what was asked for', async () => {
    const w = world();
    await firstRow(w);
    for (const it of ITEMS.slice(0, 10)) w.catalogue.upsert({ ...it, sizes: { 8: 0 } });
    assert.deepEqual(await firstRow(w), ['d10', 'd11', 'd12', 'd13', 'd14', 'd15']);
    assert.equal(w.primary.asked, 2, '10 of 18 candidates gone: asked again');
  });

  it('a live row (new arrivals) is reused for rowCacheLiveTtlMs, and made afresh when the live revision moves', async () => {
    const w = world();
    const scans = newArrivalsOnly(w);
    let live = 0;
    w.deps.liveRevision = () => live;
    const first = await firstRow(w);
    assert.equal(first?.[0], 'd59', 'the newest first');
    await firstRow(w);
    assert.equal(scans.count, 1, 'reused');
    live++;
    await firstRow(w);
    assert.equal(scans.count, 2, 'a restock (the live revision moved): made afresh');
    w.advance(w.deps.settings.rowCacheLiveTtlMs - 1);
    await firstRow(w);
    assert.equal(scans.count, 2, 'within the live TTL');
    w.advance(1);
    await firstRow(w);
    assert.equal(scans.count, 3, 'past the live TTL (the stable TTL is longer)');
  });

  it("a row that reads nothing of the member but their sizes (new arrivals) is kept across their own events, filtered again", async () => {
    const w = world();
    const scans = newArrivalsOnly(w);
    assert.equal((await firstRow(w))?.[0], 'd59');
    w.online.apply([{ id: 'r1', type: 'rent', userId: 'ann', itemId: 'd59', ts: NOW, size: '8' }]);
    const after = await firstRow(w);
    assert.equal(scans.count, 1, 'reused across the rent');
    assert.deepEqual(after?.slice(0, 2), ['d58', 'd57'], 'the rented item filtered out of the reused row');
    w.online.members.set('ann', { ...(await w.online.get('ann')), sizes: ['10'], revision: 99 });
    await firstRow(w);
    assert.ok(scans.count > 1, 'a new size profile: made afresh');
  });

  it("fit predictions are carried across the member's own events, and made again for a new size or generation", async () => {
    const w = world();
    const asked: string[] = [];
    const fit = { predict: (_u: string, itemId: string, size: string) => { asked.push(`${itemId}@${size}`); return { small: 0.1, fit: itemId === 'd01' ? 0.05 : 0.8, large: 0.1 }; } };
    w.models.currents.set('fit', { version: 'fit-v1', algorithm: 'fit', model: { abilities: { fit } } as never });
    const first = await firstRow(w);
    assert.ok(!first?.includes('d01'), 'filtered: will not fit');
    const predicted = asked.length;
    assert.ok(predicted >= 6);
    w.online.apply([{ id: 'r1', type: 'rent', userId: 'ann', itemId: 'd00', ts: NOW, size: '8' }]);
    const after = await firstRow(w);
    assert.equal(w.primary.asked, 2, 'the rows were made afresh for the new state');
    assert.deepEqual(after, ['d02', 'd03', 'd04', 'd05', 'd06', 'd07'], 'rented item gone, d01 still filtered');
    assert.deepEqual(asked.slice(predicted), ['d07@8'], 'only the item not predicted before');
    w.online.members.set('ann', { ...(await w.online.get('ann')), sizes: ['10'], revision: 99 });
    for (const it of ITEMS) w.catalogue.upsert({ ...it, sizes: { 10: 1 } });
    asked.length = 0;
    await firstRow(w);
    assert.ok(asked.length >= 6 && asked.every((a) => a.endsWith('@10')), 'a new size: predicted again');
    w.bump();
    asked.length = 0;
    await firstRow(w);
    assert.ok(asked.length >= 6, 'a new generation (a fit model swap moves it): predicted again');
  });
});

describe('cache TTL jitter (serving.cacheTtlJitter)', () => {
  const row = { madeAt: NOW, live: 0, items: [], used: [], versions: [] };

  it('each row and page lives its own share of the TTL, between (1 − jitter) and 1 of it', () => {
    let clock = NOW;
    const draws = [0.99, 0, 0.5];
    const random = () => draws.shift() ?? 0;
    const rows = new RowCache({ members: 10, ttlMs: 1000, clock: () => clock, generation: () => 0, jitter: 0.5, random });
    rows.keep('ann', 1, 'short', row); // the entry draws 0.99 (lives 505 ms), the row 0 (its whole maxAge)
    rows.keep('ann', 1, 'half', { ...row }); // this row draws 0.5: 75% of its maxAge
    clock += 374;
    assert.ok(rows.row('ann', 1, 'half', { maxAgeMs: 500 }), 'at 374 ms, under 75% of 500');
    clock += 2;
    assert.equal(rows.row('ann', 1, 'half', { maxAgeMs: 500 }), undefined, 'at 376 ms the half-drawn row is gone');
    assert.ok(rows.row('ann', 1, 'short', { maxAgeMs: 500 }), 'the row that drew 0 lives its whole 500 ms');
    clock = NOW + 506;
    assert.equal(rows.row('ann', 1, 'short'), undefined, 'the entry drew 0.99: gone after 505 ms of its 1,000');

    const pages = new PageCache({ members: 10, ttlMs: 1000, clock: () => clock, generation: () => 0, live: () => 0, jitter: 0.2, random: () => 0.5 });
    const ann = { userId: 'ann', revision: 1 } as never;
    clock = NOW;
    pages.keep(ann, 'k', { rows: [] } as never);
    clock = NOW + 899;
    assert.ok(pages.get(ann, 'k'), 'lives 90% of 1,000 ms');
    clock = NOW + 900;
    assert.equal(pages.get(ann, 'k'), undefined);
  });

  it('draws spread over (1 − jitter, 1] and never past the TTL; no jitter is the TTL itself', () => {
    const scales = Array.from({ length: 2000 }, () => ttlScale(0.25));
    assert.ok(scales.every((x) => x > 0.75 && x <= 1));
    assert.ok(Math.min(...scales) < 0.76 && Math.max(...scales) > 0.99, 'the whole range is used');
    assert.equal(ttlScale(0), 1);
  });
});

describe('serving generation counters', () => {
  it("the catalogue's revision moves on item writes and retirement, its availability revision on availability only", () => {
    const catalogue = new MemoryCatalogue();
    catalogue.upsert(item('a', { sizes: { 8: 1 } }));
    assert.deepEqual([catalogue.revision, catalogue.availabilityRevision], [1, 0]);
    catalogue.setAvailability('a', { 8: 0 }, NOW);
    assert.deepEqual([catalogue.revision, catalogue.availabilityRevision], [1, 1]);
    catalogue.retire('a', NOW);
    assert.deepEqual([catalogue.revision, catalogue.availabilityRevision], [2, 1]);
    catalogue.retire('missing', NOW);
    catalogue.setAvailability('missing', {}, NOW);
    assert.deepEqual([catalogue.revision, catalogue.availabilityRevision], [2, 1], 'unknown items move nothing');
  });

  it("the catalogue's fast servable check agrees with isRecommendable && hasUnitsIn", () => {
    const catalogue = new MemoryCatalogue();
    const items = [
      item('in8', { sizes: { 8: 2, 10: 0 } }), item('in10', { sizes: { 10: 1 } }), item('free', { sizes: {} }),
      item('gone', { sizes: { 8: 1 }, retired: true }), item('soon', { sizes: { 8: 1 }, availableFrom: NOW + 1 }),
      item('ph', { sizes: { 8: 1 }, placeholder: true }),
    ];
    for (const it of items) catalogue.upsert(it);
    // more items than the first slot arrays hold, so growing them is covered too
    for (let k = 0; k < 1500; k++) catalogue.upsert(item(`x${k}`, { sizes: { [String(k % 3)]: 1 } }));
    catalogue.setAvailability('in10', { 8: 1 }, NOW);
    for (const sizes of [[], ['8'], ['10'], ['8', '10'], ['2'], ['nope']]) {
      const fast = catalogue.servableIn(sizes, NOW);
      for (const id of [...items.map((i) => i.id), 'x0', 'x1499', 'unknown']) {
        assert.equal(fast(id), catalogue.isRecommendable(id, NOW) && catalogue.hasUnitsIn(id, sizes), `${id} in [${sizes}]`);
      }
    }
    assert.equal(catalogue.servableIn(['8'], NOW)('in10'), true, 'the availability change is seen');
    assert.equal(catalogue.servableIn(['10'], NOW)('in10'), false);
  });
});
