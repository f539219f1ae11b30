/**
 * ROC AUC of a score as a predictor of a binary outcome, with DeLong's variance (DeLong, DeLong &
 * Clarke-Pearson 1988): AUC = P(score of a positive > score of a negative), ties counting ½; its
 * structural components come from midranks, so the whole is O(n log n) and handles heavy ties
 * (most members have a metric of exactly 0).
 */
import { criticalZ, normalCdf } from '../stats/normal.ts';

export interface AucEstimate {
  auc: number;
  low: number;
  high: number;
  /** DeLong standard error */
  se: number;
  /** two-sided p-value of AUC = 0.5 */
  p: number;
  positives: number;
  negatives: number;
}

/** Midranks (1-based, ties share their average rank) of `values`. */
export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Int32Array.from({ length: n }, (_, j) => j).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const avg = (start + 1 + end) / 2;
    for (let j = start; j < end; j++) ranks[order[j]] = avg;
    start = end;
  }
  return ranks;
}

/** AUC with a DeLong interval at `level` (default 0.95), clipped to [0, 1]; NaN without both classes. */
export function aucWithInterval(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>, level = 0.95): AucEstimate {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let j = 0; j < scores.length; j++) (positive[j] ? pos : neg).push(scores[j]);
  const m = pos.length;
  const n = neg.length;
  const empty = { auc: Number.NaN, low: Number.NaN, high: Number.NaN, se: Number.NaN, p: Number.NaN, positives: m, negatives: n };
  if (m === 0 || n === 0) return empty;
  const all = midranks([...pos, ...neg]);
  const rPos = midranks(pos);
  const rNeg = midranks(neg);
  // v10[i]: share of negatives below positive i (ties ½) = (its rank among all − its rank among positives) / n
  const v10 = new Float64Array(m);
  let sumAll = 0;
  for (let i = 0; i < m; i++) {
    v10[i] = (all[i] - rPos[i]) / n;
    sumAll += v10[i];
  }
  const auc = sumAll / m;
  // v01[j]: share of positives above negative j = 1 − (positives below or tied ½) / m
  const v01 = new Float64Array(n);
  for (let j = 0; j < n; j++) v01[j] = 1 - (all[m + j] - rNeg[j]) / m;
  const variance = sampleVariance(v10) / m + sampleVariance(v01) / n;
  const se = Math.sqrt(variance);
  const c = criticalZ(level);
  const p = se > 0 ? 2 * (1 - normalCdf(Math.abs(auc - 0.5) / se)) : auc === 0.5 ? 1 : 0;
  return { auc, low: Math.max(0, auc - c * se), high: Math.min(1, auc + c * se), se, p, positives: m, negatives: n };
}

function sampleVariance(v: Float64Array): number {
  if (v.length < 2) return 0;
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) * (x - mean);
  return ss / (v.length - 1);
}
