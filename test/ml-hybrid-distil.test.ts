import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageForests } from '../src/ml/hybrid/bagged-ranker.ts';
import { meanNdcg, trainRanker } from '../src/ml/hybrid/boosted-ranker.ts';
import { crossFit, trainCrossFitted } from '../src/ml/hybrid/cross-fitted-ranker.ts';
import { distilForest, teacherScores } from '../src/ml/hybrid/distilled-ranker.ts';
import { HYBRID_DEFAULTS, resolveHybridParams } from '../src/ml/hybrid/params.ts';
import { forestScores, plantedRanking } from './helpers/planted-ranking.ts';

const params = { ...HYBRID_DEFAULTS, rounds: 30, minLeafRows: 20, maxLeaves: 7, featureSample: 0.67 };

test('a teacher one tree can express is copied exactly: one round, full step, no shrinkage', () => {
  const train = plantedRanking(150, 21);
  const stump = { ...params, rounds: 1, maxLeaves: 2, featureSample: 1, leafLambda: 0, learningRate: 1 };
  const teacher = trainRanker(train, undefined, stump).forest;
  const student = distilForest(teacher, train, 1, stump);
  const want = teacherScores(teacher, train);
  const got = forestScores(student, train);
  for (let k = 0; k < want.length; k++) assert.ok(Math.abs(got[k] - want[k]) < 1e-9, `row ${k}: ${got[k]} vs ${want[k]}`);
  assert.equal(student.treeRoot.length, 1);
});

test('one distilled forest ranks like the mean of the fold forests it copies, with a fold\'s trees', () => {
  const train = plantedRanking(300, 22);
  const fresh = plantedRanking(600, 23);
  const fit = crossFit(train, 3, params);
  const mean = averageForests(fit.forests);
  const student = trainCrossFitted(train, 3, { ...params, foldForests: 'distil' }).forest;
  assert.deepEqual(student, distilForest(mean, train, fit.rounds, params));
  assert.equal(student.treeRoot.length, fit.rounds);
  assert.equal(mean.treeRoot.length, 3 * fit.rounds);
  // the copy follows the teacher's scores closely on rows it never saw
  const t = forestScores(mean, fresh);
  const s = forestScores(student, fresh);
  const tMean = t.reduce((a, x) => a + x, 0) / t.length;
  const sMean = s.reduce((a, x) => a + x, 0) / s.length;
  let cov = 0, vt = 0, vs = 0;
  for (let k = 0; k < t.length; k++) {
    cov += (t[k] - tMean) * (s[k] - sMean);
    vt += (t[k] - tMean) ** 2;
    vs += (s[k] - sMean) ** 2;
  }
  assert.ok(cov / Math.sqrt(vt * vs) > 0.9, `correlation ${cov / Math.sqrt(vt * vs)}`);
  const ndcgTeacher = meanNdcg(t, fresh);
  assert.ok(Math.abs(meanNdcg(s, fresh) - ndcgTeacher) < 0.03, `student ${meanNdcg(s, fresh)} vs teacher ${ndcgTeacher}`);
  assert.equal(resolveHybridParams({ foldForests: 'distil' }).foldForests, 'distil');
});
