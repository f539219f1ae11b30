/** Bootstrap 95% intervals of every ranking metric's mean over evaluated members. */
import { RANKING_METRICS, type RankingMetric, type UserMetricVectors } from '../metrics/per-user.ts';
import { bootstrapMean, type BootstrapOptions, type Interval } from '../stats/bootstrap.ts';

export type MetricIntervals = Record<RankingMetric, Interval>;

/** Percentile bootstrap of each metric's mean (resampling members; same seed = paired across metrics). */
export function metricIntervals(perUser: UserMetricVectors, opts: BootstrapOptions = {}): MetricIntervals {
  const out = {} as MetricIntervals;
  for (const metric of RANKING_METRICS) out[metric] = bootstrapMean(perUser[metric], opts);
  return out;
}
