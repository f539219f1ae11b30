import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededUniform } from '../src/ml/common/rng.ts';
import { shuffleInPlace } from '../src/ml/fit/seeded-random.ts';
import { meanNdcg, sampleRows, trainRanker } from '../src/ml/hybrid/boosted-ranker.ts';
import { HYBRID_DEFAULTS, resolveHybridParams } from '../src/ml/hybrid/params.ts';
import { forestScores, plantedRanking } from './helpers/planted-ranking.ts';

const params = { ...HYBRID_DEFAULTS, rounds: 30, minLeafRows: 20, maxLeaves: 7, featureSample: 0.67 };

test('a row sample is sorted, distinct, inside the rows and about share × n of them', () => {
  const rows = sampleRows(10_000, 0.3, seededUniform(5));
  for (let j = 1; j < rows.length; j++) assert.ok(rows[j] > rows[j - 1]);
  assert.ok(rows[0] >= 0 && rows[rows.length - 1] < 10_000);
  // binomial(10 000, 0.3): sd ≈ 46
  assert.ok(Math.abs(rows.length - 3000) < 230, `${rows.length}`);
  assert.equal(sampleRows(3, 1e-9, seededUniform(1)).length, 1);
});

test('with rowSample < 1 a tree\'s leaf is the Newton step over exactly the sampled rows', () => {
  const train = plantedRanking(100, 11);
  // one round, no split possible: the tree is one leaf, −Σ g / (Σ h + λ) over the rows it was grown on
  const p = { ...params, rounds: 1, learningRate: 1, minLeafRows: 1_000_000, rowSample: 0.5 };
  const forest = trainRanker(train, undefined, p).forest;
  const n = train.labels.length;
  const pos = train.labels.reduce((s, y) => s + y, 0);
  const base = Math.log((pos + 1) / (n - pos + 1));
  const prob = 1 / (1 + Math.exp(-base));
  // the learner draws the round's features, then its rows, from one seeded stream
  const random = seededUniform(p.seed);
  shuffleInPlace(Int32Array.from({ length: 3 }, (_, f) => f), random);
  const rows = sampleRows(n, 0.5, random);
  const leaf = (sample: ArrayLike<number>): number => {
    let g = 0;
    for (let j = 0; j < sample.length; j++) g += prob - train.labels[sample[j]];
    return -g / (sample.length * Math.max(prob * (1 - prob), 1e-6) + p.leafLambda);
  };
  assert.equal(forest.treeRoot.length, 1);
  assert.ok(Math.abs(forest.nodeValue[0] - leaf(rows)) < 1e-12);
  const all = trainRanker(train, undefined, { ...p, rowSample: 1 }).forest;
  assert.ok(Math.abs(all.nodeValue[0] - leaf(Int32Array.from({ length: n }, (_, k) => k))) < 1e-12);
  assert.notEqual(forest.nodeValue[0], all.nodeValue[0]);
});

test('a row-sampled forest still learns the planted ranking, deterministically by seed', () => {
  const train = plantedRanking(300, 12);
  const fresh = plantedRanking(600, 13);
  const p = { ...params, rowSample: 0.5 };
  const a = trainRanker(train, undefined, p).forest;
  assert.deepEqual(trainRanker(train, undefined, p).forest, a);
  const ndcg = meanNdcg(forestScores(a, fresh), fresh);
  const full = meanNdcg(forestScores(trainRanker(train, undefined, params).forest, fresh), fresh);
  assert.ok(ndcg > meanNdcg(new Float64Array(fresh.labels.length), fresh) + 0.05);
  assert.ok(Math.abs(ndcg - full) < 0.05, `sampled ${ndcg} vs all rows ${full}`);
});

test('rowSample is in (0, 1], 1 by default', () => {
  assert.equal(resolveHybridParams({}).rowSample, 1);
  assert.equal(resolveHybridParams({ rowSample: 0.5 }).rowSample, 0.5);
  assert.throws(() => resolveHybridParams({ rowSample: 0 }), /rowSample/);
  assert.throws(() => resolveHybridParams({ rowSample: 1.5 }), /rowSample/);
});
