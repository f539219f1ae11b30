/**
 * Spherical k-means (Dhillon & Modha 2001) for the ANN index's coarse quantiser: unit rows, assignment
 * by the largest dot product, centroids re-normalised means. Seeded (mulberry32) and tie-broken by
 * index, so a seed fixes the partition. It trains on an evenly strided sample, which is plenty for a
 * partition whose only job is to make probing cheap (the re-rank is exact).
 */
import { seededUniform } from '../common/rng.ts';
import { dotAt } from './unit-space.ts';

export interface SphericalKMeansOptions {
  k: number;
  seed: number;
  iterations: number;
  /** at most this many rows train the centroids */
  sampleSize: number;
}

/** k × d unit centroids, row-major. `rows` is n × d unit rows. */
export function sphericalKMeans(rows: Float32Array, n: number, d: number, opts: SphericalKMeansOptions): Float32Array {
  const k = Math.max(1, Math.min(opts.k, n));
  const random = seededUniform(opts.seed);
  const sample = stridedSample(n, Math.max(k, Math.min(n, opts.sampleSize)), random);
  const centroids = new Float32Array(k * d);
  // initial centroids: k distinct sample rows (a seeded partial shuffle)
  const pool = Int32Array.from(sample);
  for (let c = 0; c < k; c++) {
    const j = c + Math.floor(random() * (pool.length - c));
    const t = pool[c]; pool[c] = pool[j]; pool[j] = t;
    centroids.set(rows.subarray(pool[c] * d, pool[c] * d + d), c * d);
  }
  const assignment = new Int32Array(sample.length).fill(-1);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let iter = 0; iter < opts.iterations; iter++) {
    let changed = 0;
    for (let s = 0; s < sample.length; s++) {
      const c = nearestCentroid(rows, sample[s] * d, centroids, k, d);
      if (c !== assignment[s]) { assignment[s] = c; changed++; }
    }
    if (changed === 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let s = 0; s < sample.length; s++) {
      const c = assignment[s], o = sample[s] * d;
      counts[c]++;
      for (let f = 0; f < d; f++) sums[c * d + f] += rows[o + f];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        // an empty cluster restarts on a random sample row, so no list is wasted
        const r = sample[Math.floor(random() * sample.length)];
        centroids.set(rows.subarray(r * d, r * d + d), c * d);
        continue;
      }
      let norm = 0;
      for (let f = 0; f < d; f++) norm += sums[c * d + f] * sums[c * d + f];
      norm = Math.sqrt(norm);
      for (let f = 0; f < d; f++) centroids[c * d + f] = norm > 0 ? sums[c * d + f] / norm : 0;
    }
  }
  return centroids;
}

/** The centroid with the largest dot product with rows[o .. o+d) (lowest index on ties). */
export function nearestCentroid(rows: Float32Array, o: number, centroids: Float32Array, k: number, d: number): number {
  let best = 0, bestScore = -Infinity;
  for (let c = 0; c < k; c++) {
    const s = dotAt(rows, o, centroids, c * d, d);
    if (s > bestScore) { bestScore = s; best = c; }
  }
  return best;
}

/** `m` row indexes spread evenly over 0..n−1, from a seeded offset. */
function stridedSample(n: number, m: number, random: () => number): Int32Array {
  if (m >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const step = n / m;
  const offset = random() * step;
  return Int32Array.from({ length: m }, (_, j) => Math.min(n - 1, Math.floor(offset + j * step)));
}
