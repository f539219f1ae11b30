import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededUniform } from '../src/ml/common/rng.ts';
import type { Forest } from '../src/ml/fit/gbdt/forest.ts';
import { averageForests, subsetQueries, trainBagged } from '../src/ml/hybrid/bagged-ranker.ts';
import { meanNdcg, scoreRows, trainRanker, type RankingSet } from '../src/ml/hybrid/boosted-ranker.ts';
import { HYBRID_DEFAULTS } from '../src/ml/hybrid/params.ts';

/**
 * 3 features, 40 candidates per member: a candidate is rented with probability
 * sigmoid(3·x0 − 2·x1 − 2) (x2 is noise), so a forest learns a noisy but real ranking.
 */
function world(members: number, seed: number): RankingSet {
  const random = seededUniform(seed);
  const n = members * 40;
  const columns = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const labels = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    for (const col of columns) col[k] = random();
    labels[k] = random() < 1 / (1 + Math.exp(-(3 * columns[0][k] - 2 * columns[1][k] - 2))) ? 1 : 0;
  }
  return { columns, labels, queryStart: Int32Array.from({ length: members + 1 }, (_, q) => q * 40) };
}

const params = { ...HYBRID_DEFAULTS, rounds: 30, minLeafRows: 20, maxLeaves: 7, featureSample: 0.67, bags: 1, bagShare: 0.8 };

function scores(forest: Forest, set: RankingSet): Float64Array {
  const n = set.labels.length;
  const nF = set.columns.length;
  const rows = new Float32Array(n * nF);
  set.columns.forEach((col, f) => col.forEach((x, k) => (rows[k * nF + f] = x)));
  return scoreRows(forest, rows, n);
}

function logLoss(raw: Float64Array, labels: Uint8Array): number {
  let sum = 0;
  raw.forEach((r, k) => (sum += Math.log1p(Math.exp(labels[k] ? -r : r))));
  return sum / raw.length;
}

test('the average of forests scores exactly the mean of their scores, and never a worse log-loss than their mean', () => {
  const train = world(300, 1);
  const held = world(200, 2);
  const members = [11, 12, 13].map((seed) => trainRanker(subsetQueries(train, Int32Array.from({ length: 240 }, (_, q) => (q * 5 + seed) % 300).sort()), undefined, { ...params, seed }).forest);
  const bagged = averageForests(members);
  const each = members.map((f) => scores(f, held));
  const mean = scores(bagged, held);
  mean.forEach((s, k) => assert.ok(Math.abs(s - (each[0][k] + each[1][k] + each[2][k]) / 3) < 1e-9, `row ${k}`));
  assert.equal(bagged.treeRoot.length, members.reduce((n, f) => n + f.treeRoot.length, 0));
  // log-loss is convex in the raw score (Jensen): the mean forest is never worse than its mean member
  const meanMemberLoss = each.reduce((s, r) => s + logLoss(r, held.labels), 0) / each.length;
  assert.ok(logLoss(mean, held.labels) <= meanMemberLoss, `bagged ${logLoss(mean, held.labels)} > members ${meanMemberLoss}`);
  // and the forests learned something: better than a constant score
  assert.ok(meanNdcg(mean, held) > meanNdcg(new Float64Array(mean.length), held) + 0.05);
});

test('one bag is the plain learner; several bags are deterministic by seed and rank held-out members at least as well as a single forest', () => {
  const train = world(300, 3);
  const held = world(300, 4);
  const single = trainRanker(train, undefined, params).forest;
  assert.deepEqual(trainBagged(train, undefined, params).forest, single);
  const bagged = trainBagged(train, undefined, { ...params, bags: 5 });
  assert.deepEqual(trainBagged(train, undefined, { ...params, bags: 5 }).forest, bagged.forest);
  assert.equal(bagged.forest.treeRoot.length, 5 * params.rounds);
  // on this world the seeds' forests differ by chance only: their average ranks no worse than one of them
  assert.ok(meanNdcg(scores(bagged.forest, held), held) >= meanNdcg(scores(single, held), held) - 0.005);
});

test('a sample of members keeps each member\'s rows together and in order', () => {
  const set = world(5, 5);
  const sub = subsetQueries(set, Int32Array.of(1, 3));
  assert.deepEqual([...sub.queryStart], [0, 40, 80]);
  assert.deepEqual([...sub.labels], [...set.labels.subarray(40, 80), ...set.labels.subarray(120, 160)]);
  assert.deepEqual([...sub.columns[2].subarray(40, 80)], [...set.columns[2].subarray(120, 160)]);
});
