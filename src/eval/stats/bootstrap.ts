/**
 * Percentile bootstrap intervals over members: resample the n members with replacement B times, take
 * the statistic of each resample, and report its (1−level)/2 and 1−(1−level)/2 quantiles.
 * The same seed draws the same member indexes for any vector of the same length, so intervals of
 * different metrics (or algorithms, over the same members) come from the same resamples: paired.
 */
import { seededUniform } from './random.ts';

export interface Interval {
  /** the statistic on the full sample */
  estimate: number;
  low: number;
  high: number;
}

export interface BootstrapOptions {
  /** resamples B (default 1000) */
  resamples?: number;
  /** default 1 */
  seed?: number;
  /** default 0.95 */
  level?: number;
}

export const BOOTSTRAP_DEFAULTS = { resamples: 1000, seed: 1, level: 0.95 } as const;

/** Bootstrap interval of the mean of `values` (NaN entries are dropped first; all-NaN gives NaNs). */
export function bootstrapMean(values: ArrayLike<number>, opts: BootstrapOptions = {}): Interval {
  const clean = finiteValues(values);
  const n = clean.length;
  if (n === 0) return { estimate: Number.NaN, low: Number.NaN, high: Number.NaN };
  const { resamples, seed, level } = { ...BOOTSTRAP_DEFAULTS, ...opts };
  const next = seededUniform(seed);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += clean[Math.floor(next() * n)];
    stats[b] = sum / n;
  }
  let total = 0;
  for (let j = 0; j < n; j++) total += clean[j];
  return percentileInterval(total / n, stats, level);
}

/**
 * Bootstrap interval of any statistic of n members: `statistic(indexes)` receives the resampled member
 * indexes (length n, with repeats) and the identity 0…n−1 for the estimate. NaN resamples are dropped.
 */
export function bootstrapStatistic(n: number, statistic: (indexes: Int32Array) => number, opts: BootstrapOptions = {}): Interval {
  const { resamples, seed, level } = { ...BOOTSTRAP_DEFAULTS, ...opts };
  const identity = Int32Array.from({ length: n }, (_, j) => j);
  const estimate = statistic(identity);
  const next = seededUniform(seed);
  const stats: number[] = [];
  const idx = new Int32Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let j = 0; j < n; j++) idx[j] = Math.floor(next() * n);
    const s = statistic(idx);
    if (!Number.isNaN(s)) stats.push(s);
  }
  return percentileInterval(estimate, Float64Array.from(stats), level);
}

/** The q-quantile of sorted values, linear between order statistics. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function percentileInterval(estimate: number, stats: Float64Array, level: number): Interval {
  stats.sort();
  const tail = (1 - level) / 2;
  return { estimate, low: quantileSorted(stats, tail), high: quantileSorted(stats, 1 - tail) };
}

function finiteValues(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let j = 0; j < values.length; j++) if (!Number.isNaN(values[j])) out.push(values[j]);
  return Float64Array.from(out);
}
