import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageForests, subsetQueries, trainBagged } from '../src/ml/hybrid/bagged-ranker.ts';
import { meanNdcg, trainRanker } from '../src/ml/hybrid/boosted-ranker.ts';
import { forestScores, plantedRanking } from './helpers/planted-ranking.ts';
import { HYBRID_DEFAULTS } from '../src/ml/hybrid/params.ts';


const params = { ...HYBRID_DEFAULTS, rounds: 30, minLeafRows: 20, maxLeaves: 7, featureSample: 0.67, bags: 1, bagShare: 0.8 };


function logLoss(raw: Float64Array, labels: Uint8Array): number {
  let sum = 0;
  raw.forEach((r, k) => (sum += Math.log1p(Math.exp(labels[k] ? -r : r))));
  return sum / raw.length;
}

test('the average of forests scores exactly the mean of their scores, and never a worse log-loss than their mean', () => {
  const train = plantedRanking(300, 1);
  const held = plantedRanking(200, 2);
  const members = [11, 12, 13].map((seed) => trainRanker(subsetQueries(train, Int32Array.from({ length: 240 }, (_, q) => (q * 5 + seed) % 300).sort()), undefined, { ...params, seed }).forest);
  const bagged = averageForests(members);
  const each = members.map((f) => forestScores(f, held));
  const mean = forestScores(bagged, held);
  mean.forEach((s, k) => assert.ok(Math.abs(s - (each[0][k] + each[1][k] + each[2][k]) / 3) < 1e-9, `row ${k}`));
  assert.equal(bagged.treeRoot.length, members.reduce((n, f) => n + f.treeRoot.length, 0));
  // log-loss is convex in the raw score (Jensen): the mean forest is never worse than its mean member
  const meanMemberLoss = each.reduce((s, r) => s + logLoss(r, held.labels), 0) / each.length;
  assert.ok(logLoss(mean, held.labels) <= meanMemberLoss, `bagged ${logLoss(mean, held.labels)} > members ${meanMemberLoss}`);
  // and the forests learned something: better than a constant score
  assert.ok(meanNdcg(mean, held) > meanNdcg(new Float64Array(mean.length), held) + 0.05);
});

test('one bag is the plain learner; several bags are deterministic by seed and rank held-out members at least as well as a single forest', () => {
  const train = plantedRanking(300, 3);
  const held = plantedRanking(300, 4);
  const single = trainRanker(train, undefined, params).forest;
  assert.deepEqual(trainBagged(train, undefined, params).forest, single);
  const bagged = trainBagged(train, undefined, { ...params, bags: 5 });
  assert.deepEqual(trainBagged(train, undefined, { ...params, bags: 5 }).forest, bagged.forest);
  assert.equal(bagged.forest.treeRoot.length, 5 * params.rounds);
  // on this world the seeds' forests differ by chance only: their average ranks no worse than one of them
  assert.ok(meanNdcg(forestScores(bagged.forest, held), held) >= meanNdcg(forestScores(single, held), held) - 0.005);
});

test('a sample of members keeps each member\'s rows together and in order', () => {
  const set = plantedRanking(5, 5);
  const sub = subsetQueries(set, Int32Array.of(1, 3));
  assert.deepEqual([...sub.queryStart], [0, 40, 80]);
  assert.deepEqual([...sub.labels], [...set.labels.subarray(40, 80), ...set.labels.subarray(120, 160)]);
  assert.deepEqual([...sub.columns[2].subarray(40, 80)], [...set.columns[2].subarray(120, 160)]);
});
