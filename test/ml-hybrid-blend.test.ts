import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Forest } from '../src/ml/fit/gbdt/forest.ts';
import type { RankingSet } from '../src/ml/hybrid/boosted-ranker.ts';
import { FEATURE_NAMES, N_FEATURES } from '../src/ml/hybrid/features.ts';
import { judgeRankings } from '../src/ml/hybrid/guard.ts';
import { blendInto, places } from '../src/ml/hybrid/rank-blend.ts';

test('places count from 0 by descending score, ties share their mean place, NaN last', () => {
  assert.deepEqual(Array.from(places(Float64Array.of(3, 1, Number.NaN, 3, 2), 0, 5)), [0.5, 3, 4, 0.5, 2]);
  // a range is ranked on its own
  assert.deepEqual(Array.from(places(Float64Array.of(9, 1, 2), 1, 3)), [1, 0]);
});

test('a blend mixes the places: (1 − w) · forest place + w · component place, lower first', () => {
  const out = new Float64Array(4);
  // forest places 0, 1, 2, 3; component places: item 3 first, the others tied at (1 + 3) / 2 = 2
  blendInto(Float64Array.of(4, 3, 2, 1), Float64Array.of(0, 0, 0, 9), 0.5, 0, 4, out);
  assert.deepEqual(Array.from(out), [-1, -1.5, -2, -1.5]);
  blendInto(Float64Array.of(4, 3, 2, 1), Float64Array.of(0, 0, 0, 9), 0.1, 0, 4, out);
  assert.deepEqual(Array.from(out, (x) => Math.round(x * 1e9) / 1e9), [-0.2, -1.1, -2, -2.7]);
});

const FOREST_FEATURE = FEATURE_NAMES.indexOf('catAffinity');
const COMPONENT_FEATURE = FEATURE_NAMES.indexOf('popRecent');

/** 29 stumps on catAffinity at 0.5, 1.5, …: a forest that scores a candidate by its catAffinity (0–29). */
function countingForest(): Forest {
  const trees = 29;
  const nodes = 3 * trees;
  const f: Forest = {
    nClasses: 1, nFeatures: N_FEATURES, base: Float64Array.of(0), treeRoot: new Int32Array(trees),
    nodeFeature: new Int32Array(nodes).fill(-1), nodeThreshold: new Float64Array(nodes), nodeNanLeft: new Uint8Array(nodes),
    nodeLeft: new Int32Array(nodes), nodeRight: new Int32Array(nodes), nodeValue: new Float64Array(nodes),
  };
  for (let t = 0; t < trees; t++) {
    const root = 3 * t;
    f.treeRoot[t] = root;
    f.nodeFeature[root] = FOREST_FEATURE;
    f.nodeThreshold[root] = t + 0.5;
    f.nodeLeft[root] = root + 1;
    f.nodeRight[root] = root + 2;
    f.nodeValue[root + 2] = 1;
  }
  return f;
}

/**
 * 50 members of 30 candidates; the one rented is second under both the forest (catAffinity) and recent
 * popularity, whose firsts are negatives the other ranks last: either alone puts the rented item
 * second (NDCG 1/log2(3)), any blend puts it first. With `forestRight` the forest ranks it first.
 */
function guardSet(forestRight: boolean): RankingSet {
  const members = 50;
  const n = members * 30;
  const columns = Array.from({ length: N_FEATURES }, () => new Float64Array(n).fill(Number.NaN));
  const labels = new Uint8Array(n);
  for (let q = 0; q < members; q++) {
    for (let c = 0; c < 30; c++) {
      const k = q * 30 + c;
      // candidate 0 is rented; 1 is the forest's first, 2 recent popularity's; 3… follow in the same order under both
      const forestPlace = c === 0 ? (forestRight ? 0 : 1) : c === 1 ? (forestRight ? 1 : 0) : c === 2 ? 29 : c - 1;
      const componentPlace = c === 0 ? 1 : c === 1 ? 29 : c === 2 ? 0 : c - 1;
      columns[FOREST_FEATURE][k] = 29 - forestPlace;
      columns[COMPONENT_FEATURE][k] = 29 - componentPlace;
      labels[k] = c === 0 ? 1 : 0;
    }
  }
  return { columns, labels, queryStart: Int32Array.from({ length: members + 1 }, (_, q) => q * 30) };
}

test('the guard blends the forest with its best component when the blend ranks the guard members better than either', () => {
  const verdict = judgeRankings(countingForest(), guardSet(false));
  const second = 1 / Math.log2(3);
  assert.equal(verdict.ranking, 'blend');
  // recent popularity and size-band + recent popularity tie (no sizes): the first in the guard's order is kept
  assert.deepEqual(verdict.blend, { component: 'popularity-recent', weight: 0.1 });
  assert.ok(Math.abs((verdict.ndcg.forest as number) - second) < 1e-12);
  assert.ok(Math.abs((verdict.ndcg['popularity-recent'] as number) - second) < 1e-12);
  assert.equal(verdict.ndcg.blend, 1);
  assert.deepEqual(verdict.blends, { '0.1': 1, '0.2': 1, '0.3': 1, '0.5': 1 });
  assert.equal(verdict.members, 50);
  // without blends (`guardBlend: false`, the default) the forest's tie with its best component goes to the component
  const plain = judgeRankings(countingForest(), guardSet(false), undefined, false);
  assert.equal(plain.ranking, 'popularity-recent');
  assert.equal(plain.blend, undefined);
  assert.equal(plain.blends, undefined);
});

test('the guard keeps the forest alone when no blend beats it', () => {
  const verdict = judgeRankings(countingForest(), guardSet(true));
  assert.equal(verdict.ranking, 'forest');
  assert.equal(verdict.blend, undefined);
  assert.equal(verdict.ndcg.forest, 1);
  // weight 0.5: the rented item's mixed place (0.5 · 0 + 0.5 · 1) stays below every other (≥ 2): a tie with the forest, not a win
  assert.equal((verdict.blends as Record<string, number>)['0.5'], 1);
});
