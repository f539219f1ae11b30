/**
 * Pages say what happened and claim only what is true (issue 20): losing the fit filter is a named
 * fallback (`fit-filter`, the size-availability filter still applied); "Runs true to size for you"
 * only for a member with fit history; "Back in your size" only for an item that was out of stock in
 * that size and came back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Model } from '../src/ml/model.ts';
import { MemoryCatalogue } from '../src/serving/catalogue/catalogue-view.ts';
import { MemberStateStore } from '../src/serving/online/online-state.ts';
import { composePage, type PageRequest } from '../src/serving/page/compose/compose-page.ts';
import { listRecommendations } from '../src/serving/page/lists/list-recommendations.ts';
import { PageCache } from '../src/serving/page/cache/page-cache.ts';
import { NO_EXPERIMENT, type Page } from '../src/serving/page/types.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { FakeModels, fakeWorld, item, member, NOW, TableModel } from './helpers/serving-fakes.ts';

// 20 dresses: even ones in size 8 (and 10), odd ones only in 10; lower numbers score higher
const IDS = Array.from({ length: 20 }, (_, k) => `d${String(k).padStart(2, '0')}`);
const ITEMS = IDS.map((id, k) => item(id, { title: `Dress ${k}`, sizes: k % 2 === 0 ? { 8: 2, 10: 1 } : { 10: 1 }, createdAt: k * 1000 }));
const rank = (id: string) => 100 - Number(id.slice(1));
const TRUE_TO_SIZE = 'Runs true to size for you';

/** A fit model (algorithm `fit`, declaring the fit ability) that says every item fits, or throws. */
function fitModel(behaviour: 'fits' | 'throws'): Model {
  const fit = {
    predict: () => {
      if (behaviour === 'throws') throw new Error('fit model broken');
      return { small: 0.05, fit: 0.9, large: 0.05 };
    },
  };
  return { algorithm: 'fit', abilities: { fit } } as unknown as Model;
}

function world(fit?: 'fits' | 'throws') {
  const models = new FakeModels('item-knn').add(new TableModel('item-knn', IDS, rank)).add(new TableModel('popularity', IDS, rank));
  if (fit) models.add(fitModel(fit));
  const w = fakeWorld({ items: ITEMS, models });
  w.templates.set('home', { name: 'home', rows: [{ kind: 'for-you' }] });
  w.online.members.set('sized', member('sized', { sizes: ['8'] }));
  w.online.members.set('reported', member('reported', { sizes: ['8'], fitReports: 3 }));
  w.online.members.set('unsized', member('unsized'));
  return w;
}

const request = (userId: string): PageRequest => ({ userId, page: 'home', rows: 4, size: 5, variant: { ...NO_EXPERIMENT, config: { rowOrder: 'fixed' } } });
const fitNotes = (page: Pick<Page, 'fallbacks'>) => page.fallbacks.filter((f) => f.kind === 'fit-filter')
  .map((f) => [f.rowId, f.used, f.failed.map((x) => [x.source, x.cause])]);
const ids = (page: Page) => page.rows.flatMap((r) => r.items.map((i) => i.itemId));

describe('losing the fit filter is a named fallback', () => {
  it('a sized member and no fit model: the page names fit-filter, and the size filter still holds', async () => {
    const { page } = await composePage(request('sized'), world().deps);
    assert.deepEqual(fitNotes(page), [['page', ['size-availability'], [['fit-model', 'unavailable']]]]);
    assert.deepEqual(ids(page), ['d00', 'd02', 'd04', 'd06', 'd08'], 'only items with units in size 8');
  });

  it('a working fit model: no note; a member without a size: nothing to fit, no note', async () => {
    assert.deepEqual(fitNotes((await composePage(request('sized'), world('fits').deps)).page), []);
    assert.deepEqual(fitNotes((await composePage(request('unsized'), world().deps)).page), []);
  });

  it('a fit model whose every prediction fails is named too (cause error)', async () => {
    const { page } = await composePage(request('sized'), world('throws').deps);
    assert.deepEqual(fitNotes(page), [['page', ['size-availability'], [['fit-model', 'error']]]]);
    assert.deepEqual(ids(page), ['d00', 'd02', 'd04', 'd06', 'd08'], 'the page is still served, size-filtered');
  });

  it('a reused page lists it again', async () => {
    const w = world();
    const cache = new PageCache({ members: 10, ttlMs: 60_000, generation: () => 0, live: () => 0, clock: () => NOW });
    const deps = { ...w.deps, pageCache: cache };
    await composePage(request('sized'), deps);
    const again = await composePage(request('sized'), deps);
    assert.equal(cache.stats().hits, 1, 'the second page was reused');
    assert.deepEqual(fitNotes(again.page), [['page', ['size-availability'], [['fit-model', 'unavailable']]]]);
  });

  it('/recommendations names it the same way', async () => {
    const w = world();
    const list = await listRecommendations({ userId: 'sized', n: 3, variant: NO_EXPERIMENT }, w.deps);
    assert.deepEqual(fitNotes(list), [['page', ['size-availability'], [['fit-model', 'unavailable']]]]);
    assert.deepEqual(list.items.map((i) => i.itemId), ['d00', 'd02', 'd04']);
  });
});

describe('reasons are true for the member or absent', () => {
  it('"Runs true to size for you" only for a member who gave fit feedback', async () => {
    const w = world('fits');
    const none = (await composePage(request('sized'), w.deps)).page;
    assert.ok(none.rows[0].items.length > 0);
    assert.deepEqual(none.rows[0].items.filter((i) => i.reason === TRUE_TO_SIZE), [], 'no fit history: no fit reason');
    assert.equal(none.rows[0].items[0].reason, 'Picked for you');
    const some = (await composePage(request('reported'), w.deps)).page;
    assert.deepEqual([...new Set(some.rows[0].items.map((i) => i.reason))], [TRUE_TO_SIZE], 'with fit history the model\'s verdict is theirs');

    const listed = await listRecommendations({ userId: 'sized', n: 3, variant: NO_EXPERIMENT }, w.deps);
    assert.deepEqual(listed.items.filter((i) => i.reason === TRUE_TO_SIZE), [], 'nor in /recommendations');
  });

  it('online state counts fit reports, from events and from the store alike', async () => {
    const store = new SqliteStore(':memory:');
    try {
      await store.appendEvents([
        { id: 'e1', type: 'rent', userId: 'amy', itemId: 'd00', ts: NOW - 3000, size: '8' },
        { id: 'e2', type: 'return', userId: 'amy', itemId: 'd00', ts: NOW - 2000, size: '8', fit: 'small' },
        { id: 'e3', type: 'rent', userId: 'bea', itemId: 'd02', ts: NOW - 2000, size: '8' },
      ]);
      const online = new MemberStateStore(store, { capacity: 10, recentLimit: 50, hydrateEvents: 100, foldInCacheSize: 0 });
      assert.equal((await online.get('amy')).fitReports, 1, 'hydrated from the store');
      assert.equal((await online.get('bea')).fitReports, 0, 'a rent alone is no fit history');
      online.apply([{ id: 'e4', type: 'return', userId: 'bea', itemId: 'd02', ts: NOW - 1000, size: '8', fit: 'fit' }]);
      assert.equal((await online.get('bea')).fitReports, 1, 'an accepted event counts at once');
    } finally {
      await store.close();
    }
  });

  it('the catalogue view records restocks: 0 units → some in a size, forgotten when it sells out', () => {
    const cat = new MemoryCatalogue();
    cat.upsert(item('g', { sizes: { 8: 1, 10: 0 }, updatedAt: 1 }));
    assert.deepEqual([cat.restockedIn('g', '8'), cat.restockedIn('g', '10')], [false, false], 'loaded in stock: never out');
    cat.setAvailability('g', { 8: 1, 10: 2 }, 2);
    assert.deepEqual([cat.restockedIn('g', '8'), cat.restockedIn('g', '10')], [false, true], '10 came back');
    cat.setAvailability('g', { 8: 1, 10: 2, 12: 1 }, 3);
    assert.equal(cat.restockedIn('g', '12'), false, 'a size newly offered is not "back"');
    cat.setAvailability('g', { 8: 1, 10: 0 }, 4);
    assert.equal(cat.restockedIn('g', '10'), false, 'sold out again');
    cat.upsert(item('g', { sizes: { 8: 0 }, updatedAt: 5 }));
    cat.upsert(item('g', { sizes: { 8: 3 }, updatedAt: 6 }));
    assert.equal(cat.restockedIn('g', '8'), true, 'an item write restocks too');
  });

  it('"Back in your size" only for an item that was out of stock in the size and came back', async () => {
    const w = world();
    const cat = new MemoryCatalogue();
    cat.upsert(item('never-out', { sizes: { 8: 2 } }));
    cat.upsert(item('came-back', { sizes: { 8: 0 } }));
    cat.setAvailability('came-back', { 8: 1 }, NOW);
    w.templates.set('home', { name: 'home', rows: [{ kind: 'back-in-your-size' }] });
    const hearts = ['never-out', 'came-back'].map((itemId, k) => ({ itemId, type: 'heart' as const, ts: NOW - k, weight: 0.6 }));
    w.online.members.set('ann', member('ann', { sizes: ['8'], recent: hearts }));
    const deps = { ...w.deps, catalogue: cat };
    const { page } = await composePage(request('ann'), deps);
    assert.deepEqual(page.rows.map((r) => [r.kind, r.items.map((i) => [i.itemId, i.reason])]),
      [['back-in-your-size', [['came-back', 'Back in your size 8']]]]);

    w.online.members.set('bo', member('bo', { sizes: ['8'], recent: [hearts[0]] }));
    const neverOut = await composePage(request('bo'), deps);
    assert.deepEqual(neverOut.page.rows.filter((r) => r.kind === 'back-in-your-size'), [], 'an item never out of stock: no such row');
  });
});
