/**
 * Rows shared across members (page/cache/shared-rows.ts): made once per size set, each member's row
 * is exactly the one their own fill makes (their marks taken out, scores by rank again); a sell-out,
 * an item written, a release date or "new this week" running out makes the row again; a member whose
 * marks leave the shared row short gets theirs made afresh.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Item } from '../src/core/types.ts';
import { MemoryCatalogue } from '../src/serving/catalogue/catalogue-view.ts';
import type { MemberSnapshot } from '../src/serving/engine/contracts.ts';
import { createSharedRows, deriveRow, SHARED_MARGIN, SharedRows } from '../src/serving/page/cache/shared-rows.ts';
import { RequestScope } from '../src/serving/page/compose/request-scope.ts';
import type { RowPlan } from '../src/serving/page/compose/row-source.ts';
import { newArrivalsRow } from '../src/serving/page/rows/new-arrivals.ts';
import { NO_EXPERIMENT, type PageItem } from '../src/serving/page/types.ts';
import { fakeWorld, member, NOW } from './helpers/serving-fakes.ts';

const DAY = 86_400_000;
const SIZE = 2; // overfetch 3: 6 candidates a row

/** Item `k` released k days before NOW (so i00 is the newest), with a unit in size 8. */
function release(k: number, over: Partial<Item> = {}): Item {
  const id = `i${String(k).padStart(2, '0')}`;
  return { id, title: id, category: 'dress', tags: [], attributes: {}, sizes: { '8': 1 }, retired: false, placeholder: false, createdAt: 0, updatedAt: 0, availableFrom: NOW - k * DAY - 1, ...over };
}

function setup(items: Item[], shared = true, ttlMs = 30 * DAY) {
  const world = fakeWorld({ items: [] });
  const catalogue = new MemoryCatalogue();
  for (const it of items) catalogue.upsert(it);
  let now = NOW;
  const sharedRows = shared ? createSharedRows(ttlMs, { catalogue, models: world.models, signals: world.deps.signals }) : undefined;
  const deps = { ...world.deps, catalogue, clock: () => now, ...(sharedRows ? { sharedRows } : {}) };
  const plan: RowPlan = { rowId: 'new-arrivals', kind: 'new-arrivals', title: 'New', size: SIZE, ordinal: 0 };
  const row = async (m: MemberSnapshot): Promise<PageItem[]> => {
    world.online.members.set(m.userId, m);
    const scope = await RequestScope.open(m.userId, NO_EXPERIMENT, deps);
    const filled = await scope.fill(plan, newArrivalsRow, scope.deadline.timers.now(), { cached: true });
    return filled.fill?.items ?? [];
  };
  return { catalogue, sharedRows: sharedRows as SharedRows, row, setNow: (t: number) => { now = t; } };
}

const ids = (items: PageItem[]) => items.map((i) => i.itemId);
const eight = (userId: string, over: Partial<MemberSnapshot> = {}) => member(userId, { sizes: ['8'], ...over });

describe('rows shared across members', () => {
  it('makes the row once for a size set; a member holding an item gets the row their own fill makes', async () => {
    const items = Array.from({ length: 12 }, (_, k) => release(k));
    const s = setup(items);
    assert.deepEqual(ids(await s.row(eight('m1'))), ['i00', 'i01', 'i02', 'i03', 'i04', 'i05']);
    const holding = eight('m2', { held: new Set(['i01', 'i03']) });
    const got = await s.row(holding);
    assert.deepEqual(ids(got), ['i00', 'i02', 'i04', 'i05', 'i06', 'i07']);
    // scored by its own ranks, reasons kept
    assert.deepEqual(got.map((i) => i.score), [1, 1 - 1 / 6, 1 - 2 / 6, 1 - 3 / 6, 1 - 4 / 6, 1 - 5 / 6]);
    // i07 came out 7 days and 1 ms ago
    assert.deepEqual(got.map((i) => i.reason), ['New this week', 'New this week', 'New this week', 'New this week', 'New this week', 'New in']);
    assert.deepEqual(s.sharedRows.stats(), { hits: 1, misses: 1, rows: 1 });
    // the same as without sharing
    assert.deepEqual(await setup(items, false).row(holding), got);
  });

  it('an item that sells out in the size, or is written, is out of the next member\'s row: the row is made again', async () => {
    const s = setup(Array.from({ length: 12 }, (_, k) => release(k)));
    await s.row(eight('m1'));
    s.catalogue.setAvailability('i00', { '8': 0 }, NOW);
    assert.deepEqual(ids(await s.row(eight('m2'))), ['i01', 'i02', 'i03', 'i04', 'i05', 'i06']);
    s.catalogue.upsert(release(0, { id: 'brand-new', availableFrom: NOW - 1 }));
    assert.deepEqual(ids(await s.row(eight('m3'))), ['brand-new', 'i01', 'i02', 'i03', 'i04', 'i05']);
    assert.deepEqual(s.sharedRows.stats(), { hits: 0, misses: 3, rows: 1 });
  });

  it('another size set gets its own row', async () => {
    const s = setup([release(0), release(1, { sizes: { '10': 1 } }), release(2), release(3, { sizes: { '10': 2 } })]);
    assert.deepEqual(ids(await s.row(eight('m1'))), ['i00', 'i02']);
    assert.deepEqual(ids(await s.row(member('m2', { sizes: ['10'] }))), ['i01', 'i03']);
    assert.equal(s.sharedRows.stats().rows, 2);
  });

  it('is made again when a release date passes and when "new this week" runs out', async () => {
    const s = setup([release(0), release(1), release(-1), release(10)]);
    assert.deepEqual(ids(await s.row(eight('m1'))), ['i00', 'i01', 'i10']);
    // i-1 is released a day after NOW
    s.setNow(NOW + DAY);
    assert.deepEqual(ids(await s.row(eight('m2'))), ['i-1', 'i00', 'i01', 'i10']);
    s.setNow(NOW + 2 * DAY);
    assert.equal((await s.row(eight('m3'))).find((i) => i.itemId === 'i01')?.reason, 'New this week');
    // a week after i01's release (a day and 1 ms before NOW) it is "New in": the row is made again
    s.setNow(NOW + 6 * DAY);
    const later = await s.row(eight('m4'));
    assert.deepEqual(later.map((i) => [i.itemId, i.reason]), [['i-1', 'New this week'], ['i00', 'New this week'], ['i01', 'New in'], ['i10', 'New in']]);
    assert.deepEqual(s.sharedRows.stats(), { hits: 1, misses: 3, rows: 1 });
  });

  it('lives its TTL at most (the signal lists may move without a re-sort seen yet)', async () => {
    const s = setup([release(0), release(1)], true, 60_000);
    await s.row(eight('m1'));
    s.setNow(NOW + 59_999);
    await s.row(eight('m2'));
    s.setNow(NOW + 60_000);
    await s.row(eight('m3'));
    assert.deepEqual(s.sharedRows.stats(), { hits: 1, misses: 2, rows: 1 });
  });

  it('a member whose marks leave the shared row short gets their own row, as without sharing', async () => {
    const items = Array.from({ length: 40 }, (_, k) => release(k));
    const s = setup(items);
    await s.row(eight('m1'));
    // holds all but one of the shared row's 6 + SHARED_MARGIN candidates
    const held = new Set(items.slice(0, 6 + SHARED_MARGIN - 1).map((i) => i.id));
    const heavy = eight('m2', { held });
    const got = await s.row(heavy);
    assert.deepEqual(ids(got), ['i25', 'i26', 'i27', 'i28', 'i29', 'i30']);
    assert.deepEqual(await setup(items, false).row(heavy), got);
  });

  it('deriveRow: short of the target only when the list ran out; never an empty row', () => {
    const items = ['a', 'b', 'c'].map((itemId, k) => ({ itemId, score: 1 - k / 3, reason: 'r' }));
    const row = { items, complete: false, byRank: true, used: ['current-model'], versions: [] };
    assert.equal(deriveRow(row, (id) => id !== 'b', 3), undefined);
    assert.deepEqual(deriveRow({ ...row, complete: true }, (id) => id !== 'b', 3), [{ itemId: 'a', score: 1, reason: 'r' }, { itemId: 'c', score: 0.5, reason: 'r' }]);
    assert.equal(deriveRow({ ...row, complete: true }, () => false, 3), undefined);
    // no marks: the first items as kept, the same frozen items for every such member
    const kept = new SharedRows({ ttlMs: 1, stamp: () => '' }).keep('k', row, 2, 0, 1);
    const plain = deriveRow(kept, null, 2);
    assert.deepEqual(plain, [{ itemId: 'a', score: 1, reason: 'r' }, { itemId: 'b', score: 0.5, reason: 'r' }]);
    assert.ok(plain?.every((i) => Object.isFrozen(i)) && plain[0] === deriveRow(kept, null, 2)?.[0]);
    assert.equal(deriveRow(row, null, 2), undefined);
    // model scores stay as they are; the shared items are never changed
    assert.deepEqual(deriveRow({ ...row, byRank: false }, (id) => id !== 'a', 2)?.map((i) => i.score), [1 - 1 / 3, 1 - 2 / 3]);
    assert.equal(items[1].score, 1 - 1 / 3);
  });
});
