import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogCoverage } from '../src/eval/metrics/coverage.ts';
import { meanOf, summarise, userMetricVectors } from '../src/eval/metrics/per-user.ts';
import {
  averagePrecisionAt, hitFlags, hitRateAt, idealDcgAt, ndcgAt, precisionAt, recallAt,
} from '../src/eval/metrics/ranking.ts';

const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} ≠ ${expected}`);
const rel = (...ids: string[]): Set<string> => new Set(ids);

test('hits at ranks 2 and 4 of 4 with 3 relevant items', () => {
  const ranked = ['a', 'b', 'c', 'd'];
  const relevant = rel('b', 'd', 'x');
  assert.deepEqual([...hitFlags(ranked, relevant, 4)], [0, 1, 0, 1]);
  close(hitRateAt(ranked, relevant, 4), 1, 'HR');
  close(precisionAt(ranked, relevant, 4), 2 / 4, 'precision');
  close(recallAt(ranked, relevant, 4), 2 / 3, 'recall');
  // DCG = 1/log2(3) + 1/log2(5); ideal = 3 hits in the top places = 1 + 1/log2(3) + 1/2
  close(ndcgAt(ranked, relevant, 4), (1 / Math.log2(3) + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3) + 0.5), 'NDCG');
  assert.ok(Math.abs(ndcgAt(ranked, relevant, 4) - 1.0616063 / 2.1309298) < 1e-6, 'NDCG by hand: (0.6309298 + 0.4306766) / 2.1309298');
  // AP = (P@2 + P@4) / min(4, 3) = (1/2 + 2/4) / 3
  close(averagePrecisionAt(ranked, relevant, 4), 1 / 3, 'AP');
});

test('more relevant items than K: the ideal is K hits, so a perfect list scores 1', () => {
  const ranked = ['a', 'b'];
  const relevant = rel('a', 'b', 'c', 'd', 'e');
  close(ndcgAt(ranked, relevant, 2), 1, 'NDCG');
  close(averagePrecisionAt(ranked, relevant, 2), 1, 'AP divides by min(K, |rel|) = 2');
  close(recallAt(ranked, relevant, 2), 2 / 5, 'recall');
  close(precisionAt(ranked, relevant, 2), 1, 'precision');
  close(idealDcgAt(5, 2), 1 + 1 / Math.log2(3), 'ideal DCG');
});

test('an empty ranking scores 0 everywhere; no relevant item is undefined (NaN)', () => {
  for (const metric of [hitRateAt, precisionAt, recallAt, ndcgAt, averagePrecisionAt]) {
    assert.equal(metric([], rel('a'), 10), 0, metric.name);
    assert.ok(Number.isNaN(metric(['a'], rel(), 10)), `${metric.name} with no relevant item`);
  }
});

test('a list shorter than K still divides precision by K; entries after K do not count', () => {
  close(precisionAt(['a'], rel('a'), 10), 0.1, 'precision');
  close(ndcgAt(['a'], rel('a'), 10), 1, 'NDCG');
  close(averagePrecisionAt(['a'], rel('a'), 10), 1, 'AP');
  assert.equal(hitRateAt(['x', 'y', 'a'], rel('a'), 2), 0);
  assert.equal(recallAt(['x', 'y', 'a'], rel('a'), 2), 0);
});

test('an item listed twice is one hit', () => {
  assert.deepEqual([...hitFlags(['a', 'a', 'b'], rel('a'), 3)], [1, 0, 0]);
  close(precisionAt(['a', 'a', 'b'], rel('a'), 3), 1 / 3, 'precision');
});

test('tied items: the list order is the ranking, so swapping two tied items changes the score', () => {
  // a model with a and x tied may list either first; the metric follows the list
  const relevant = rel('a');
  close(ndcgAt(['a', 'x'], relevant, 2), 1, 'hit at 1');
  close(ndcgAt(['x', 'a'], relevant, 2), 1 / Math.log2(3), 'hit at 2');
  close(averagePrecisionAt(['x', 'a'], relevant, 2), 1 / 2, 'AP hit at 2');
  close(averagePrecisionAt(['x', 'a', 'b'], rel('a', 'b'), 3), (1 / 2 + 2 / 3) / 2, 'AP hits at 2, 3');
});

test('coverage counts distinct items within the top K over the vocabulary', () => {
  close(catalogCoverage([['a', 'b'], ['b', 'c']], 4), 3 / 4, 'coverage');
  close(catalogCoverage([['a', 'b'], ['c', 'd']], 4, 1), 2 / 4, 'coverage at K = 1');
  close(catalogCoverage([], 4), 0, 'no list');
});

test('per-member vectors are aligned with the members, and their means summarise', () => {
  const lists = [['a', 'b'], ['c', 'd'], []];
  const relevant = [rel('b'), rel('c', 'z'), rel('a')];
  const v = userMetricVectors(['u1', 'u2', 'u3'], lists, relevant, 2);
  assert.deepEqual(v.userIds, ['u1', 'u2', 'u3']);
  assert.deepEqual([...v.hitRate], [1, 1, 0]);
  assert.deepEqual([...v.recall], [1, 0.5, 0]);
  close(v.ndcg[0], 1 / Math.log2(3), 'u1 NDCG');
  close(v.ndcg[1], 1 / (1 + 1 / Math.log2(3)), 'u2 NDCG');
  close(v.map[0], 0.5, 'u1 AP');
  close(v.map[1], 1 / 2, 'u2 AP = P@1 / min(2, 2)');
  const s = summarise(v, lists, 8);
  close(s.hitRate, 2 / 3, 'mean HR');
  close(s.precision, (0.5 + 0.5 + 0) / 3, 'mean precision');
  close(s.coverage, 4 / 8, 'coverage');
  close(meanOf(v.recall), 0.5, 'mean recall');
});

test('|rel| > K with partial hits: hits at 1 and 3 of K = 3, five relevant items', () => {
  const ranked = ['a', 'x', 'b', 'c'];
  const relevant = rel('a', 'b', 'c', 'd', 'e');
  // DCG = 1 + 1/log2(4) = 1.5; ideal = K = 3 hits: 1 + 1/log2(3) + 1/2 = 2.1309298
  close(ndcgAt(ranked, relevant, 3), 1.5 / (1.5 + 1 / Math.log2(3)), 'NDCG');
  assert.ok(Math.abs(ndcgAt(ranked, relevant, 3) - 0.7039180) < 1e-6, 'NDCG by hand: 1.5 / 2.1309298');
  // AP = (P@1 + P@3) / min(3, 5) = (1 + 2/3) / 3
  close(averagePrecisionAt(ranked, relevant, 3), 5 / 9, 'AP');
  close(recallAt(ranked, relevant, 3), 2 / 5, 'recall: c at rank 4 is past K');
  close(precisionAt(ranked, relevant, 3), 2 / 3, 'precision');
  close(recallAt(['a', 'b', 'c'], relevant, 3), 3 / 5, 'a perfect list still has recall K/|rel| < 1');
});

test('K = 1: every metric is the hit flag of the first item (AP and NDCG included)', () => {
  for (const metric of [hitRateAt, precisionAt, ndcgAt, averagePrecisionAt]) {
    assert.equal(metric(['a', 'b'], rel('a', 'b'), 1), 1, metric.name);
    assert.equal(metric(['b', 'a'], rel('a'), 1), 0, metric.name);
  }
  close(recallAt(['a'], rel('a', 'b'), 1), 1 / 2, 'recall');
});

test('tied scores ordered differently give the same HR, precision and recall but different NDCG and AP', () => {
  // two lists a tied model may produce: the set of the top K is the same, the order is not
  const relevant = rel('a', 'b');
  const first = ['a', 'x', 'b'];
  const second = ['x', 'a', 'b'];
  for (const metric of [hitRateAt, precisionAt, recallAt]) assert.equal(metric(first, relevant, 3), metric(second, relevant, 3), metric.name);
  close(ndcgAt(first, relevant, 3), (1 + 0.5) / (1 + 1 / Math.log2(3)), 'NDCG hits at 1, 3');
  close(ndcgAt(second, relevant, 3), (1 / Math.log2(3) + 0.5) / (1 + 1 / Math.log2(3)), 'NDCG hits at 2, 3');
  close(averagePrecisionAt(first, relevant, 3), (1 + 2 / 3) / 2, 'AP hits at 1, 3');
  close(averagePrecisionAt(second, relevant, 3), (1 / 2 + 2 / 3) / 2, 'AP hits at 2, 3');
});

test('empty rankings inside per-member vectors score 0 and count in the mean', () => {
  const v = userMetricVectors(['u1', 'u2'], [[], ['a']], [rel('a'), rel('a')], 10);
  assert.deepEqual([...v.ndcg], [0, 1]);
  assert.deepEqual([...v.map], [0, 1]);
  close(summarise(v, [[], ['a']], 4).hitRate, 0.5, 'mean HR');
  close(summarise(v, [[], ['a']], 4).coverage, 1 / 4, 'coverage');
});
