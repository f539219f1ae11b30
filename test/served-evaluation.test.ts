import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../src/core/config.ts';
import { DAY_MS } from '../src/core/time.ts';
import { evaluateSplit } from '../src/eval/evaluate.ts';
import { splitDataset, type EvalSplit } from '../src/eval/splits.ts';
import { seededUniform } from '../src/ml/common/rng.ts';
import { buildInteractions } from '../src/ml/dataset.ts';
import { getTrainer } from '../src/ml/registry.ts';
import { evaluateServed, firstDistinct, type ServedEvaluation } from '../src/sim/replay/served-evaluation.ts';

const CUTOFF = 60 * DAY_MS;

/**
 * Six taste groups of eight items; each of 10 members per group rents 5 items of their group over 50
 * days and one more after the cutoff. Item-kNN finds the group; recent popularity mixes the groups.
 */
function groupWorld(): EvalSplit {
  const random = seededUniform(7);
  const rows: Array<{ user: string; item: string; ts: number }> = [];
  for (let g = 0; g < 6; g++) {
    for (let m = 0; m < 10; m++) {
      const items = Array.from({ length: 8 }, (_, i) => `g${g}i${i}`).sort(() => random() - 0.5);
      const user = `g${g}m${m}`;
      items.slice(0, 5).forEach((item) => rows.push({ user, item, ts: Math.floor(random() * 50) * DAY_MS }));
      rows.push({ user, item: items[5], ts: CUTOFF + DAY_MS });
    }
  }
  return splitDataset({ name: 'groups', interactions: buildInteractions(rows) }, { name: 'global-time', cutoff: CUTOFF });
}

const GATE = { ...DEFAULT_CONFIG.training.gate, algorithms: ['popularity-recent', 'item-knn'], minVsPopularity: 0 };
const ALGORITHMS = ['popularity', 'popularity-recent', 'item-knn'];

describe('served evaluation (evaluate --served)', () => {
  let split: EvalSplit;
  let solo: ServedEvaluation;
  let home: ServedEvaluation;

  before(async () => {
    split = groupWorld();
    solo = await evaluateServed(split, { algorithms: ALGORITHMS, gate: GATE, template: [{ kind: 'for-you' }] });
    home = await evaluateServed(split, { algorithms: ALGORITHMS, gate: GATE });
  });

  it('trains with the production pipeline: the gate crowns item-kNN, which fills for-you', () => {
    assert.equal(solo.champion, 'item-knn');
    assert.equal(solo.primaryAlgorithm, 'item-knn');
    assert.match(solo.modelVersion ?? '', /^item-knn-/);
    assert.equal(solo.pagesWithFallbacks, 0);
    assert.equal(solo.pagesWithoutForYou, 0);
  });

  it('for-you alone, nothing filtered: served-for-you equals the champion\'s offline figures', async () => {
    // the champion as served: the trainer's own defaults, not EVALUATION.md's pinned ones
    const offline = await evaluateSplit(split, { algorithms: ['item-knn'], params: { 'item-knn': { ...getTrainer('item-knn').defaults } }, threads: 1 });
    const expected = offline.results['item-knn'];
    assert.ok(expected.ndcg > 0.3, `the world lets item-kNN find the group (NDCG ${expected.ndcg})`);
    const served = solo.results['served-for-you'];
    assert.equal(served.perUser.userIds.length, split.users.length);
    assert.deepEqual(served.lists, expected.lists, 'the same ten items in the same order for every member');
    for (const m of ['ndcg', 'recall', 'precision', 'hitRate', 'map', 'coverage'] as const) assert.equal(served[m], expected[m], m);
    assert.deepEqual(solo.results['served-page'].lists, served.lists, 'a page of one row reads as that row');
  });

  it('the home page: every member gets K distinct items, for-you from the champion', () => {
    assert.equal(home.champion, 'item-knn');
    // the bandit orders rows; a page of 8 rows may leave for-you out, and then the member saw none
    const empty = home.results['served-for-you'].lists.filter((l) => l.length === 0).length;
    assert.equal(home.pagesWithoutForYou, empty);
    assert.equal(home.results['served-for-you'].unrankedUsers, empty);
    const page = home.results['served-page'];
    assert.ok(page.lists.every((l) => l.length === 10 && new Set(l).size === 10));
    // held (train) items never appear: the online state holds them
    page.lists.forEach((l, u) => assert.ok(l.every((id) => !split.users[u].trainItems.has(id))));
    // rows placed above for-you claim some of its items, never add any: its items are the champion's, in its order
    const ranked = solo.results['served-for-you'].lists;
    home.results['served-for-you'].lists.forEach((l, u) => {
      const positions = l.map((id) => ranked[u].indexOf(id)).filter((p) => p >= 0);
      assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
    });
  });

  it('firstDistinct reads rows top to bottom, items left to right, each item once', () => {
    const page = { rows: [{ rowId: 'a', kind: 'for-you', items: [{ itemId: 'x' }, { itemId: 'y' }] }, { rowId: 'b', kind: 'trending', items: [{ itemId: 'y' }, { itemId: 'z' }, { itemId: 'w' }] }] };
    assert.deepEqual(firstDistinct(page, 3), ['x', 'y', 'z']);
    assert.deepEqual(firstDistinct(page, 10), ['x', 'y', 'z', 'w']);
  });
});
