import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededUniform } from '../src/ml/common/rng.ts';
import { shuffleInPlace } from '../src/ml/fit/seeded-random.ts';
import { averageForests, subsetQueries } from '../src/ml/hybrid/bagged-ranker.ts';
import { meanNdcg, trainRanker } from '../src/ml/hybrid/boosted-ranker.ts';
import { FOLD_SEED_STRIDE, firstTrees, trainCrossFitted } from '../src/ml/hybrid/cross-fitted-ranker.ts';
import { forestScores, plantedRanking } from './helpers/planted-ranking.ts';
import { HYBRID_DEFAULTS, resolveHybridParams } from '../src/ml/hybrid/params.ts';


const params = { ...HYBRID_DEFAULTS, rounds: 30, minLeafRows: 20, maxLeaves: 7, featureSample: 0.67 };


test('the first n trees of a forest grown longer score exactly as a forest of n rounds', () => {
  const train = plantedRanking(200, 1);
  const held = plantedRanking(50, 2);
  const long = trainRanker(train, undefined, params, undefined, true).forest;
  const short = trainRanker(train, undefined, { ...params, rounds: 10 }).forest;
  assert.equal(long.treeRoot.length, 30);
  assert.deepEqual(firstTrees(long, 10), short);
  assert.deepEqual([...forestScores(firstTrees(long, 10), held)], [...forestScores(short, held)]);
  assert.equal(firstTrees(long, 30), long);
});

test('a held-out curve holds the NDCG@10 of the validation members after each round', () => {
  const train = plantedRanking(200, 3);
  const valid = plantedRanking(60, 4);
  const r = trainRanker(train, valid, { ...params, earlyStoppingRounds: 30 }, undefined, true);
  assert.equal(r.curve.length, 30);
  for (const n of [1, 7, 30]) assert.ok(Math.abs(r.curve[n - 1] - meanNdcg(forestScores(firstTrees(r.forest, n), valid), valid)) < 1e-12, `round ${n}`);
});

test('cross-fitting: k forests each blind to one group, cut at the best round of the mean held-out curve, averaged', () => {
  const train = plantedRanking(300, 5);
  const r = trainCrossFitted(train, 3, params);
  // the rounds kept are the argmax of the reported curve, and its value is the reported NDCG@10
  const best = r.curve.reduce((b, x, j) => (x > r.curve[b] ? j : b), 0);
  assert.equal(r.rounds, best + 1);
  assert.equal(r.validationNdcg, r.curve[best]);
  assert.equal(r.forest.treeRoot.length, 3 * r.rounds);
  // the same as averaging, by hand, forests trained on the members outside each group
  const again = trainCrossFitted(train, 3, params);
  assert.deepEqual(again.forest, r.forest);
  // held-out members of each group never taught their own forest: its curve is an honest estimate,
  // so on a fresh sample of the same world the mean forest ranks within noise of it
  const fresh = plantedRanking(600, 6);
  const ndcg = meanNdcg(forestScores(r.forest, fresh), fresh);
  assert.ok(Math.abs(ndcg - r.validationNdcg) < 0.05, `fresh ${ndcg} vs held-out ${r.validationNdcg}`);
  assert.ok(ndcg > meanNdcg(new Float64Array(fresh.labels.length), fresh) + 0.05);
});

test('cross-fitting averages exactly the forests learned without each group, cut at the rounds kept', () => {
  const train = plantedRanking(90, 7);
  const p = { ...params, rounds: 12 };
  const r = trainCrossFitted(train, 2, p);
  // the groups: members in the seeded order, dealt in turn
  const order = shuffleInPlace(Int32Array.from({ length: 90 }, (_, q) => q), seededUniform(p.seed));
  const group = (g: number, inside: boolean): Int32Array => Int32Array.from(order.filter((_, j) => (j % 2 === g) === inside)).sort();
  const byHand = [0, 1].map((g) => {
    const seed = p.seed + (g + 1) * FOLD_SEED_STRIDE;
    const f = trainRanker(subsetQueries(train, group(g, false)), subsetQueries(train, group(g, true)), { ...p, seed, earlyStoppingRounds: p.rounds }, undefined, true);
    return firstTrees(f.forest, r.rounds);
  });
  assert.deepEqual(averageForests(byHand), r.forest);
});

test('innerFolds is 0 or 2–10', () => {
  assert.equal(resolveHybridParams({ innerFolds: 5 }).innerFolds, 5);
  assert.equal(resolveHybridParams({}).innerFolds, 0);
  assert.throws(() => resolveHybridParams({ innerFolds: 1 }), /innerFolds/);
  assert.throws(() => resolveHybridParams({ innerFolds: 2.5 }), /innerFolds/);
});
