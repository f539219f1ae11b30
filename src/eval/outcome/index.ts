/**
 * Outcome correlation for any caller with per-member metrics and outcomes (the CLI, the simulator):
 * pure functions, arrays in, numbers out.
 *
 *   correlateMetricsWithOutcome(metrics: Record<string, ArrayLike<number>>, retained: ArrayLike<boolean | number>,
 *                               { level? }) → MetricOutcomeRow[]   ranked by AUC, best predictor of retention first
 *   aucWithInterval(scores, positive, level = 0.95) → { auc, low, high, se, p, positives, negatives }   DeLong
 *   pointBiserialWithInterval(scores, outcome, level = 0.95) → { r, low, high, p, n }                  Fisher z
 *   partialCorrelationWithInterval(scores, outcome, control, level = 0.95) → same, r given the control
 *   bootstrapMean(values, { resamples = 1000, seed = 1, level = 0.95 }) → { estimate, low, high }
 *   bootstrapStatistic(n, (indexes: Int32Array) => number, opts) → { estimate, low, high }
 */
export { correlateMetricsWithOutcome, type MetricOutcomeRow } from './metric-outcome.ts';
export { aucWithInterval, midranks, type AucEstimate } from './delong.ts';
export { partialCorrelationWithInterval, pointBiserial, pointBiserialWithInterval, type CorrelationEstimate } from './point-biserial.ts';
export { bootstrapMean, bootstrapStatistic, type BootstrapOptions, type Interval } from '../stats/bootstrap.ts';
