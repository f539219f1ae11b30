/**
 * Point-biserial correlation: Pearson's r between a continuous score and a binary outcome (1 = the
 * member was retained), with a Fisher z interval: z = atanh(r), se = 1/√(n−3), back-transformed.
 */
import { criticalZ, normalCdf } from '../stats/normal.ts';

export interface CorrelationEstimate {
  r: number;
  low: number;
  high: number;
  /** two-sided p-value of r = 0 under the Fisher z approximation */
  p: number;
  n: number;
}

/**
 * r = cov(x, y) / (sd(x) · sd(y)) with y ∈ {0, 1} (or, with `continuous`, any numbers: Pearson's r);
 * NaN when x or y is constant or n < 2.
 */
export function pointBiserial(scores: ArrayLike<number>, outcome: ArrayLike<boolean | number>, continuous = false): number {
  const n = scores.length;
  if (n < 2) return Number.NaN;
  const yOf = (j: number): number => (continuous ? Number(outcome[j]) : outcome[j] ? 1 : 0);
  let mx = 0;
  let my = 0;
  for (let j = 0; j < n; j++) {
    mx += scores[j];
    my += yOf(j);
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let j = 0; j < n; j++) {
    const dx = scores[j] - mx;
    const dy = yOf(j) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/** r with its Fisher z interval at `level` (default 0.95); the interval is NaN for n ≤ 3. */
export function pointBiserialWithInterval(
  scores: ArrayLike<number>, outcome: ArrayLike<boolean | number>, level = 0.95,
): CorrelationEstimate {
  const n = scores.length;
  const r = pointBiserial(scores, outcome);
  if (Number.isNaN(r) || n <= 3) return { r, low: Number.NaN, high: Number.NaN, p: Number.NaN, n };
  // clamp so that |r| = 1 still gives a finite z
  const z = Math.atanh(Math.max(-1 + 1e-12, Math.min(1 - 1e-12, r)));
  const se = 1 / Math.sqrt(n - 3);
  const c = criticalZ(level);
  return { r, low: Math.tanh(z - c * se), high: Math.tanh(z + c * se), p: 2 * (1 - normalCdf(Math.abs(z) / se)), n };
}

/**
 * Partial correlation of scores and outcome given a control z (e.g. the member's activity):
 * r_xy·z = (r_xy − r_xz·r_yz) / √((1 − r_xz²)(1 − r_yz²)), Fisher z interval with se = 1/√(n − 4).
 * "Does the metric say anything about retention beyond what activity already says?"
 */
export function partialCorrelationWithInterval(
  scores: ArrayLike<number>, outcome: ArrayLike<boolean | number>, control: ArrayLike<number>, level = 0.95,
): CorrelationEstimate {
  const n = scores.length;
  const y = Float64Array.from({ length: n }, (_, j) => (outcome[j] ? 1 : 0));
  const rxy = pointBiserial(scores, y);
  const rxz = pointBiserial(control, scores, true);
  const ryz = pointBiserial(control, y, true);
  const r = (rxy - rxz * ryz) / Math.sqrt((1 - rxz * rxz) * (1 - ryz * ryz));
  if (!Number.isFinite(r) || n <= 4) return { r: Number.NaN, low: Number.NaN, high: Number.NaN, p: Number.NaN, n };
  const z = Math.atanh(Math.max(-1 + 1e-12, Math.min(1 - 1e-12, r)));
  const se = 1 / Math.sqrt(n - 4);
  const c = criticalZ(level);
  return { r, low: Math.tanh(z - c * se), high: Math.tanh(z + c * se), p: 2 * (1 - normalCdf(Math.abs(z) / se)), n };
}
