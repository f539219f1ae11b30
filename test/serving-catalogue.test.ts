import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../src/serving/app.ts';
import { MemoryCatalogue } from '../src/serving/catalogue/catalogue-view.ts';
import { localReplica, testApp, type TestApp } from './helpers/app.ts';

const NOW = Date.UTC(2026, 10, 28, 12);
const DAY = 86_400_000;

describe('catalogue view', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ now: NOW });
    await t.store.upsertItems([
      { id: 'old-dress', title: 'Old', category: 'dress', sizes: { '8': 2, '10': 0 }, availableFrom: NOW - 30 * DAY },
      { id: 'coat', title: 'Coat', category: 'outerwear', sizes: { S: 1 }, availableFrom: NOW - 20 * DAY },
      { id: 'scarf', title: 'Scarf', category: 'accessory', availableFrom: NOW - 10 * DAY },
    ], NOW - 40 * DAY);
  });
  after(async () => { await t.close(); });

  it('an app started on a store loads its whole catalogue, with the indexes', async () => {
    // a second app on the same store: its view is read at start-up (in pages: load's page size is 5000)
    const second = await buildApp({ config: t.context.config, store: t.store, logger: false, clock: () => NOW });
    const view = localReplica(second).catalogue;
    await second.app.close();
    assert.equal(view.size(), 3);
    assert.deepEqual(view.newest(10, NOW), ['scarf', 'coat', 'old-dress']);
    assert.deepEqual(view.byCategory('dress'), ['old-dress']);
    assert.deepEqual([...view.availableIn('8')], ['old-dress']);
    assert.deepEqual([...view.availableIn('10')], [], 'zero units is not available');
    assert.equal(view.hasUnitsIn('old-dress', ['10']), false);
    assert.equal(view.hasUnitsIn('old-dress', ['10', '8']), true);
    assert.equal(view.hasUnitsIn('old-dress', []), true, 'sizes unknown: no size filter');
    assert.equal(view.hasUnitsIn('scarf', ['10']), true, 'an unsized item fits everyone');
    assert.equal(view.hasUnitsIn('nothing', ['10']), false);
    const paged = await MemoryCatalogue.load(t.store, 2);
    assert.deepEqual(paged.newest(10, NOW), view.newest(10, NOW), 'paging does not change the result');
  });

  it('an item written through the API is in the view at once: new, re-categorised, retired, sold out', async () => {
    const cat = localReplica(t).catalogue;
    const put = (id: string, body: object) => t.app.inject({ method: 'PUT', url: `/v1/items/${id}`, payload: body });
    assert.equal((await put('gown', { title: 'Gown', category: 'dress', sizes: { '8': 1, '12': 3 } })).statusCode, 201);
    assert.equal(cat.isRecommendable('gown', NOW), true);
    assert.equal(cat.newest(1, NOW)[0], 'gown', 'created now: the newest');
    assert.ok(cat.byCategory('dress').includes('gown'));

    await put('gown', { title: 'Gown', category: 'evening', sizes: { '8': 1, '12': 3 } });
    assert.equal(cat.byCategory('dress').includes('gown'), false);
    assert.deepEqual(cat.byCategory('evening'), ['gown']);

    const sold = await t.app.inject({ method: 'PATCH', url: '/v1/items/gown/availability', payload: { sizes: { '8': 0, '12': 3 } } });
    assert.equal(sold.statusCode, 200);
    assert.equal(cat.hasUnitsIn('gown', ['8']), false, 'size 8 sold out');
    assert.equal(cat.hasUnitsIn('gown', ['12']), true);
    assert.equal(cat.availableIn('8').has('gown'), false);

    assert.equal((await t.app.inject({ method: 'DELETE', url: '/v1/items/gown' })).statusCode, 200);
    assert.equal(cat.isRecommendable('gown', NOW), false, 'retired');
    assert.equal(cat.get('gown')?.retired, true);
    assert.equal(cat.newest(10, NOW).includes('gown'), false);
  });

  it('batch upserts, future availability and placeholders', async () => {
    const cat = localReplica(t).catalogue;
    const res = await t.app.inject({ method: 'POST', url: '/v1/items/batch', payload: { items: [
      { id: 'later', title: 'Later', category: 'dress', availableFrom: NOW + DAY },
      { id: 'bad', title: 'no category' },
      { id: 'tee', title: 'Tee', category: 'top' },
    ] } });
    assert.equal(res.json().rejected, 1);
    assert.equal(cat.isRecommendable('tee', NOW), true);
    assert.equal(cat.isRecommendable('later', NOW), false, 'not before its availableFrom');
    assert.equal(cat.isRecommendable('later', NOW + DAY), true);
    assert.equal(cat.newest(10, NOW).includes('later'), false);
    assert.equal(cat.get('bad'), undefined);
    // an event naming an unknown item creates a placeholder in the store, never recommendable
    await t.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [{ id: 'e1', type: 'view', userId: 'u', itemId: 'ghost' }] } });
    assert.equal(cat.isRecommendable('ghost', NOW), false);
    // … until it is catalogued
    await t.app.inject({ method: 'PUT', url: '/v1/items/ghost', payload: { title: 'Found', category: 'top' } });
    assert.equal(cat.isRecommendable('ghost', NOW), true);
    assert.ok(cat.byCategory('top').includes('ghost'));
  });
});
