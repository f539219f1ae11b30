/**
 * The page composer with known answers, over in-memory fakes of online state, catalogue and models:
 * a rent leaves the next page and seeds "because you liked"; nothing without units in the member's
 * size; no item twice; a curated row is exactly its servable items, re-ordered; cold start.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composePage, type PageRequest } from '../src/serving/page/compose/compose-page.ts';
import { NO_EXPERIMENT } from '../src/serving/page/types.ts';
import { FakeModels, fakeWorld, item, member, NOW, TableModel } from './helpers/serving-fakes.ts';

// 40 dresses: even ones come in size 8 (and 10), odd ones only in 10; lower numbers score higher
const IDS = Array.from({ length: 40 }, (_, k) => `d${String(k).padStart(2, '0')}`);
const ITEMS = IDS.map((id, k) => item(id, { title: `Dress ${k}`, sizes: k % 2 === 0 ? { 8: 2, 10: 1 } : { 10: 1 }, createdAt: k * 1000 }));
const rank = (id: string) => 100 - Number(id.slice(1));

function world() {
  const models = new FakeModels('item-knn').add(new TableModel('item-knn', IDS, rank)).add(new TableModel('popularity', IDS, rank));
  const w = fakeWorld({ items: ITEMS, models });
  w.online.members.set('ann', member('ann', { sizes: ['8'] }));
  return w;
}

const request = (userId: string, over: Partial<PageRequest> = {}): PageRequest => ({
  userId, page: 'home', rows: 8, size: 6, variant: { ...NO_EXPERIMENT, config: { rowOrder: 'fixed' } }, ...over,
});
const allItems = (rows: Array<{ items: Array<{ itemId: string }> }>) => rows.flatMap((r) => r.items.map((i) => i.itemId));

describe('page composer', () => {
  it('never shows an item without units in the member size, and no item twice', async () => {
    const w = world();
    const { page } = await composePage(request('ann'), w.deps);
    const ids = allItems(page.rows);
    assert.ok(page.rows.length >= 3, `rows: ${page.rows.map((r) => r.kind)}`);
    assert.deepEqual(ids.filter((id) => Number(id.slice(1)) % 2 === 1), [], 'no odd (size-10-only) dress');
    assert.equal(new Set(ids).size, ids.length, 'no item twice');
    assert.deepEqual(page.rows[0].items.map((i) => i.itemId), ['d00', 'd02', 'd04', 'd06', 'd08', 'd10'], 'for-you: best in size first');
    assert.equal(page.rows[0].items[0].reason, 'Picked for you');
    // this world has no fit model: the size filter above held, the fit filter is the one fallback named
    assert.deepEqual(page.fallbacks.map((f) => [f.rowId, f.kind, f.used, f.failed.map((x) => [x.source, x.cause])]),
      [['page', 'fit-filter', ['size-availability'], [['fit-model', 'unavailable']]]]);
  });

  it('a rent disappears from the very next page and seeds because-you-liked, titled with the item', async () => {
    const w = world();
    const before = await composePage(request('ann'), w.deps);
    assert.ok(allItems(before.page.rows).includes('d00'));
    assert.equal(before.page.rows.find((r) => r.kind === 'because-you-liked'), undefined, 'nothing to seed it yet');

    w.online.apply([{ id: 'e1', type: 'rent', userId: 'ann', itemId: 'd00', ts: NOW, size: '8' }]);
    const { page } = await composePage(request('ann'), w.deps);
    assert.ok(!allItems(page.rows).includes('d00'), 'the held item is gone');
    const byl = page.rows.find((r) => r.kind === 'because-you-liked');
    assert.ok(byl, `rows: ${page.rows.map((r) => r.rowId)}`);
    assert.equal(byl.rowId, 'because-you-liked:d00');
    assert.equal(byl.title, 'Because you loved Dress 0');
    assert.equal(byl.items[0].reason, 'Because you loved Dress 0');
  });

  it('a curated row holds exactly its servable items, re-sorted for the member when personalize is set', async () => {
    const w = world();
    w.templates.set('shop', { name: 'shop', rows: [{ kind: 'for-you' }, { kind: 'curated', carouselId: 'summer' }] });
    // d14, d10, d12 in the stylist's order; d11 has no size 8, d20 is retired, zz is unknown
    w.carousels.set('summer', { id: 'summer', title: 'Summer edit', itemIds: ['d14', 'd11', 'd10', 'zz', 'd20', 'd12'], personalize: true });
    w.catalogue.upsert({ ...ITEMS[20], retired: true });
    const { page } = await composePage(request('ann', { page: 'shop', size: 20 }), w.deps);
    const curated = page.rows.find((r) => r.kind === 'curated');
    assert.ok(curated);
    assert.equal(curated.title, 'Summer edit');
    assert.deepEqual(curated.items.map((i) => i.itemId), ['d10', 'd12', 'd14'], 'its servable items, best for the member first');
    assert.ok(!page.rows[0].items.some((i) => ['d10', 'd12', 'd14'].includes(i.itemId)), 'the curated row keeps its items');

    w.carousels.set('summer', { ...w.carousels.get('summer')!, personalize: false });
    const fixed = await composePage(request('ann', { page: 'shop', size: 20 }), w.deps);
    assert.deepEqual(fixed.page.rows.find((r) => r.kind === 'curated')?.items.map((i) => i.itemId), ['d14', 'd10', 'd12'], "the stylist's order");
  });

  it('an unknown member gets a cold-start page', async () => {
    const w = world();
    const { page, member: m } = await composePage(request('nobody'), w.deps);
    assert.equal(m.known, false);
    assert.ok(page.rows.some((r) => r.kind === 'for-you'));
    assert.ok(page.rows.some((r) => r.kind === 'new-arrivals'));
    assert.deepEqual(page.rows.find((r) => r.kind === 'new-arrivals')?.items.slice(0, 2).map((i) => i.itemId), ['d39', 'd38']);
  });

  it('an unknown page template is a 404, not an empty page', async () => {
    await assert.rejects(composePage(request('ann', { page: 'nope' }), world().deps), { code: 'VITRINE_PAGE_NOT_FOUND' });
  });
});
