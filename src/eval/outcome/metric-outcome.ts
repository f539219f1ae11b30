/**
 * Which offline metric predicts a member outcome (retention) best: for each metric, over the members
 * that have both a metric value and an outcome, the point-biserial r and the AUC of the metric as a
 * predictor of retention, both with intervals; metrics ranked by AUC (higher = members with a higher
 * metric were more often retained).
 *
 * Simulator and CLI entry point (pure: arrays in, numbers out):
 *   correlateMetricsWithOutcome(
 *     metrics: Record<string, ArrayLike<number>>,   // per member, aligned with `retained`; NaN = no value
 *     retained: ArrayLike<boolean | number>,          // 1/true = retained, 0/false = churned
 *     opts?: { level?: number,                        // default 0.95
 *             control?: ArrayLike<number> },          // e.g. activity, aligned with `retained`: adds partialR
 *   ): MetricOutcomeRow[]                             // ranked, best predictor first
 */
import { aucWithInterval, type AucEstimate } from './delong.ts';
import { partialCorrelationWithInterval, pointBiserialWithInterval, type CorrelationEstimate } from './point-biserial.ts';

export interface MetricOutcomeRow {
  metric: string;
  /** 1 = best predictor of retention */
  rank: number;
  /** members used (metric and outcome both known) */
  n: number;
  retained: number;
  churned: number;
  /** mean metric of retained and churned members */
  meanRetained: number;
  meanChurned: number;
  r: CorrelationEstimate;
  auc: AucEstimate;
  /** with a control: the partial correlation of metric and outcome given the control */
  partialR?: CorrelationEstimate;
}

/** Every metric against the outcome, ranked by AUC descending (NaN last; ties by r). */
export function correlateMetricsWithOutcome(
  metrics: Record<string, ArrayLike<number>>, retained: ArrayLike<boolean | number>,
  opts: { level?: number; control?: ArrayLike<number> } = {},
): MetricOutcomeRow[] {
  const { control } = opts;
  if (control && control.length !== retained.length) throw new RangeError(`control has ${control.length} values for ${retained.length} outcomes`);
  const level = opts.level ?? 0.95;
  const rows: MetricOutcomeRow[] = [];
  for (const [metric, values] of Object.entries(metrics)) {
    if (values.length !== retained.length) {
      throw new RangeError(`metric "${metric}" has ${values.length} values for ${retained.length} outcomes`);
    }
    const x: number[] = [];
    const y: number[] = [];
    const z: number[] = [];
    for (let j = 0; j < values.length; j++) {
      if (Number.isNaN(values[j])) continue;
      x.push(values[j]);
      y.push(retained[j] ? 1 : 0);
      if (control) z.push(control[j]);
    }
    let sumR = 0;
    let sumC = 0;
    let nR = 0;
    for (let j = 0; j < x.length; j++) {
      if (y[j]) {
        sumR += x[j];
        nR++;
      } else sumC += x[j];
    }
    const nC = x.length - nR;
    const row: MetricOutcomeRow = {
      metric, rank: 0, n: x.length, retained: nR, churned: nC,
      meanRetained: nR ? sumR / nR : Number.NaN, meanChurned: nC ? sumC / nC : Number.NaN,
      r: pointBiserialWithInterval(x, y, level), auc: aucWithInterval(x, y, level),
    };
    if (control) row.partialR = partialCorrelationWithInterval(x, y, z, level);
    rows.push(row);
  }
  const key = (v: number): number => (Number.isNaN(v) ? -Infinity : v);
  rows.sort((a, b) => key(b.auc.auc) - key(a.auc.auc) || key(b.r.r) - key(a.r.r));
  rows.forEach((row, j) => (row.rank = j + 1));
  return rows;
}
