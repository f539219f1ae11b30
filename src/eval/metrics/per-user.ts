/**
 * Per-member metric vectors: one Float64Array per metric, aligned with `userIds`, so later analyses
 * (bootstrap intervals, correlation with churn) get every member's value and not only the mean.
 */
import { catalogCoverage } from './coverage.ts';
import { averagePrecisionAt, hitRateAt, ndcgAt, precisionAt, recallAt } from './ranking.ts';

export const RANKING_METRICS = ['ndcg', 'recall', 'precision', 'hitRate', 'map'] as const;
export type RankingMetric = (typeof RANKING_METRICS)[number];

/** Each ranking metric per evaluated member (index m ↔ userIds[m]). */
export interface UserMetricVectors extends Record<RankingMetric, Float64Array> {
  userIds: string[];
  k: number;
}

/** The means over members, plus catalogue coverage. */
export type MetricSummary = Record<RankingMetric | 'coverage', number>;

/** Scores every member's list against their relevant items at K. */
export function userMetricVectors(
  userIds: readonly string[],
  ranked: ReadonlyArray<readonly string[]>,
  relevant: ReadonlyArray<ReadonlySet<string>>,
  k: number,
): UserMetricVectors {
  const n = userIds.length;
  const out: UserMetricVectors = {
    userIds: [...userIds], k,
    ndcg: new Float64Array(n), recall: new Float64Array(n), precision: new Float64Array(n),
    hitRate: new Float64Array(n), map: new Float64Array(n),
  };
  for (let m = 0; m < n; m++) {
    out.ndcg[m] = ndcgAt(ranked[m], relevant[m], k);
    out.recall[m] = recallAt(ranked[m], relevant[m], k);
    out.precision[m] = precisionAt(ranked[m], relevant[m], k);
    out.hitRate[m] = hitRateAt(ranked[m], relevant[m], k);
    out.map[m] = averagePrecisionAt(ranked[m], relevant[m], k);
  }
  return out;
}

/** Arithmetic mean (NaN for an empty vector). */
export function meanOf(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (let m = 0; m < values.length; m++) s += values[m];
  return s / values.length;
}

/** The mean of every metric over members, and coverage of `ranked` over a vocabulary of `nItems`. */
export function summarise(vectors: UserMetricVectors, ranked: ReadonlyArray<readonly string[]>, nItems: number): MetricSummary {
  return {
    ndcg: meanOf(vectors.ndcg),
    recall: meanOf(vectors.recall),
    precision: meanOf(vectors.precision),
    hitRate: meanOf(vectors.hitRate),
    map: meanOf(vectors.map),
    coverage: catalogCoverage(ranked, nItems, vectors.k),
  };
}
