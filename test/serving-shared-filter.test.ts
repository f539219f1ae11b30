/**
 * The business filter's shared forms (filters.ts, servable-prefixes.ts) give the same answers as the
 * filter by id: a shared list's first items for a member, and the filter by index into a model's ids,
 * before and after the catalogue moves (a sell-out, a restock, a new item, a release date passing).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Item } from '../src/core/types.ts';
import { MemoryCatalogue } from '../src/serving/catalogue/catalogue-view.ts';
import type { MemberSnapshot } from '../src/serving/engine/contracts.ts';
import { businessFilter } from '../src/serving/page/compose/filters.ts';
import { coldMember } from '../src/serving/page/compose/request-scope.ts';

const NOW = Date.UTC(2026, 10, 28, 12);
const DAY = 86_400_000;

function item(id: string, sizes: Record<string, number>, availableFrom = NOW - 10 * DAY): Item {
  return { id, title: id, category: 'dress', tags: [], attributes: {}, sizes, retired: false, placeholder: false, createdAt: NOW - 20 * DAY, updatedAt: NOW - 20 * DAY, availableFrom };
}

function catalogue(): MemoryCatalogue {
  const view = new MemoryCatalogue();
  view.upsert(item('a', { '8': 1 }));
  view.upsert(item('b', { '8': 0, '10': 2 }));
  view.upsert(item('c', {}));
  view.upsert(item('d', { '8': 3 }, NOW + DAY)); // released tomorrow
  view.upsert(item('e', { '8': 1 }));
  view.upsert(item('f', { '8': 1 }));
  return view;
}

const member = (overrides: Partial<MemberSnapshot> = {}): MemberSnapshot => ({ ...coldMember('m1'), sizes: ['8'], ...overrides });
const naive = (list: readonly string[], ok: (id: string) => boolean, n: number) => list.filter(ok).slice(0, n);

describe('shared business filter', () => {
  const LIST = ['x-unknown', 'd', 'a', 'b', 'c', 'e', 'f'];

  it('a shared list gives each member the first items the filter by id would give', () => {
    const view = catalogue();
    const plain = businessFilter(member(), view, NOW, { returnedWithinDays: 30 });
    assert.deepEqual(plain.firstOf?.(LIST, 3), ['a', 'c', 'e']);
    assert.deepEqual(plain.firstOf?.(LIST, 3), naive(LIST, plain, 3));
    // another member with the same sizes, holding one and having returned another lately: the shared prefix runs further
    const marked = businessFilter(member({ userId: 'm2', held: new Set(['a']), returned: new Map([['c', NOW - DAY]]) }), view, NOW, { returnedWithinDays: 30 });
    assert.deepEqual(marked.firstOf?.(LIST, 3), ['e', 'f']);
    assert.deepEqual(marked.firstOf?.(LIST, 3), naive(LIST, marked, 3));
    const size10 = businessFilter(member({ sizes: ['10'] }), view, NOW, { returnedWithinDays: 30 });
    assert.deepEqual(size10.firstOf?.(LIST, 5), ['b', 'c']);
  });

  it('a sell-out, a restock, a new item and a release date each change the next answer', () => {
    const view = catalogue();
    const at = (now: number) => businessFilter(member(), view, now, { returnedWithinDays: 30 });
    assert.deepEqual(at(NOW).firstOf?.(LIST, 2), ['a', 'c']);
    view.setAvailability('a', { '8': 0 }, NOW);
    assert.deepEqual(at(NOW).firstOf?.(LIST, 2), ['c', 'e'], 'sold out in size 8');
    view.setAvailability('b', { '8': 1 }, NOW);
    assert.deepEqual(at(NOW).firstOf?.(LIST, 2), ['b', 'c'], 'back in size 8');
    assert.deepEqual(at(NOW + 2 * DAY).firstOf?.(LIST, 2), ['d', 'b'], 'released since');
    assert.deepEqual(at(NOW).firstOf?.(LIST, 2), ['b', 'c'], 'an earlier clock does not see it');
    view.upsert(item('x-unknown', { '8': 1 }));
    assert.deepEqual(at(NOW).firstOf?.(LIST, 2), ['x-unknown', 'b'], 'catalogued since');
  });

  it('the filter by index into a model\'s ids answers as the filter by id, new items included', () => {
    const view = catalogue();
    const ids = ['f', 'x-unknown', 'a', 'b', 'c', 'd', 'e'];
    const check = (filter: ReturnType<typeof businessFilter>) => {
      const byIndex = filter.overIds?.(ids);
      assert.ok(byIndex);
      assert.deepEqual(ids.map((_, i) => byIndex(i)), ids.map((id) => filter(id)));
    };
    check(businessFilter(member(), view, NOW, { returnedWithinDays: 30 }));
    check(businessFilter(member({ dismissed: new Set(['f']) }), view, NOW, { returnedWithinDays: 30 }));
    view.upsert(item('x-unknown', { '8': 1 }));
    const after = businessFilter(member(), view, NOW, { returnedWithinDays: 30 });
    check(after);
    assert.equal(after.overIds?.(ids)(1), true, 'an item catalogued after the ids were first mapped');
  });

  it("a member's own marks: held, dismissed, bought and lately returned items are out, items returned long ago are back", () => {
    const view = catalogue();
    const marks = { held: new Set(['a']), dismissed: new Set(['e']), purchased: new Set(['f']), returned: new Map([['c', NOW - DAY], ['b', NOW - 40 * DAY]]) };
    const filter = businessFilter(member({ ...marks, sizes: [] }), view, NOW, { returnedWithinDays: 30 });
    assert.deepEqual(['a', 'b', 'c', 'd', 'e', 'f'].filter((id) => filter(id)), ['b'], 'd is not released yet');
    assert.deepEqual(['a', 'b', 'c', 'e', 'f'].filter((id) => filter.ownMarks?.(id)), ['b']);
    // only one kind of mark: still out
    assert.equal(businessFilter(member({ held: new Set(['a']) }), view, NOW, { returnedWithinDays: 30 })('a'), false);
    // returns older than the window are no marks at all: the member takes the shared rows of the unmarked
    const returnedLongAgo = businessFilter(member({ returned: new Map([['a', NOW - 40 * DAY]]) }), view, NOW, { returnedWithinDays: 30 });
    assert.equal(returnedLongAgo('a'), true);
    assert.equal(returnedLongAgo.ownMarks, null);
  });

  it("a model's ids' servable flags are shared per size set while the catalogue stands still, and made again when it moves", () => {
    const view = catalogue();
    const ids = ['f', 'x-unknown', 'a', 'b', 'c', 'd', 'e'];
    const first = view.servableIndexes.of(ids, ['8'], NOW);
    assert.deepEqual([...first], [1, 0, 1, 0, 1, 0, 1]);
    assert.equal(view.servableIndexes.of(ids, ['8'], NOW + 1000), first, 'the same flags for the next member with these sizes');
    assert.deepEqual([...view.servableIndexes.of(ids, ['10'], NOW)], [0, 0, 0, 1, 1, 0, 0]);
    view.setAvailability('a', { '8': 0 }, NOW);
    assert.deepEqual([...view.servableIndexes.of(ids, ['8'], NOW)], [1, 0, 0, 0, 1, 0, 1], 'a sold out in 8');
    assert.deepEqual([...view.servableIndexes.of(ids, ['8'], NOW + 2 * DAY)], [1, 0, 0, 0, 1, 1, 1], 'd released since');
    assert.deepEqual([...view.servableIndexes.of(ids, ['8'], NOW - DAY)], [1, 0, 0, 0, 1, 0, 1], 'a clock that goes back is asked afresh');
  });

  it('newest hands out one list while nothing moves, and a new one when something does', () => {
    const view = catalogue();
    const first = view.newest(10, NOW);
    assert.equal(view.newest(10, NOW + 1000), first);
    assert.deepEqual(first, ['a', 'b', 'c', 'e', 'f'], 'one release time: by id');
    assert.deepEqual(view.newest(10, NOW + 2 * DAY)[0], 'd', 'released since');
    view.upsert(item('g', { '8': 1 }, NOW - DAY));
    assert.deepEqual(view.newest(1, NOW), ['g']);
  });
});
