/**
 * Confidence intervals for an experiment report: a binomial rate (Wilson score interval) and the
 * ratio of two rates (log scale, delta method). Pure functions of counts.
 */

/** The two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

export interface Interval {
  rate: number | null;
  low: number | null;
  high: number | null;
}

export interface LiftInterval {
  value: number | null;
  low: number | null;
  high: number | null;
}

/**
 * Wilson score interval for `successes` out of `trials` (Wilson 1927; Newcombe 1998 method 3).
 * Successes above trials (a member clicking one impression twice) are capped at trials for the
 * interval; the rate itself is reported uncapped. No trials → nulls.
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): Interval {
  if (!(trials > 0)) return { rate: null, low: null, high: null };
  const x = Math.min(Math.max(successes, 0), trials);
  const p = x / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { rate: successes / trials, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Lift of a treatment rate over a control rate, (x1/n1) / (x0/n0) − 1, with the interval of the rate
 * ratio on the log scale by the delta method (Katz et al. 1978): SE(log RR) = √(1/x1 − 1/n1 + 1/x0 − 1/n0).
 * When either success count is zero, 0.5 is added to each count and trial total for the interval
 * (Haldane–Anscombe), and the point value is null when the control rate is zero (lift unbounded).
 */
export function liftInterval(x1: number, n1: number, x0: number, n0: number, z = Z95): LiftInterval {
  if (!(n1 > 0) || !(n0 > 0)) return { value: null, low: null, high: null };
  const value = x0 > 0 ? (x1 / n1) / (x0 / n0) - 1 : null;
  let [a, b, c, d] = [Math.min(x1, n1), n1, Math.min(x0, n0), n0];
  if (a === 0 || c === 0) [a, b, c, d] = [a + 0.5, b + 0.5, c + 0.5, d + 0.5];
  const logRatio = Math.log((a / b) / (c / d));
  const se = Math.sqrt(Math.max(0, 1 / a - 1 / b + 1 / c - 1 / d));
  return { value, low: Math.exp(logRatio - z * se) - 1, high: Math.exp(logRatio + z * se) - 1 };
}
