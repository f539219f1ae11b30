/**
 * Feature binning for histogram gradient boosting: each feature's values are cut at quantiles into at
 * most `maxBins − 1` bins (bin 0 holds NaN), so a split is "bin ≤ b" and a histogram has one cell
 * per bin. Bin b holds values v with upper[b−1] < v ≤ upper[b], so a split stored as the raw value
 * upper[b] predicts the same on raw features as on bins.
 */

export interface Binner {
  /** per feature: the upper edge of bins 1…B (the last is +Infinity) */
  upper: Float64Array[];
}

/** Quantile bin edges of each feature (feature-major columns), from at most `sampleSize` rows. */
export function fitBinner(columns: Float64Array[], maxBins: number, sampleSize = 100_000): Binner {
  const upper = columns.map((col) => {
    const step = Math.max(1, Math.floor(col.length / sampleSize));
    const values = new Float64Array(Math.ceil(col.length / step));
    let m = 0;
    for (let k = 0; k < col.length; k += step) if (!Number.isNaN(col[k])) values[m++] = col[k];
    return edgesOf(values.subarray(0, m).sort(), maxBins - 1);
  });
  return { upper };
}

function edgesOf(sorted: Float64Array, maxValueBins: number): Float64Array {
  const distinct: number[] = [];
  const counts: number[] = [];
  for (const v of sorted) {
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]++;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  if (distinct.length === 0) return Float64Array.of(Infinity);
  const edges: number[] = [];
  if (distinct.length <= maxValueBins) {
    for (let j = 0; j + 1 < distinct.length; j++) edges.push((distinct[j] + distinct[j + 1]) / 2);
  } else {
    // walk the distinct values, closing a bin each time it holds about n / maxValueBins values
    const perBin = sorted.length / maxValueBins;
    let filled = 0;
    for (let j = 0; j + 1 < distinct.length && edges.length < maxValueBins - 1; j++) {
      filled += counts[j];
      if (filled >= perBin * (edges.length + 1)) edges.push((distinct[j] + distinct[j + 1]) / 2);
    }
  }
  edges.push(Infinity);
  return Float64Array.from(edges);
}

/** The bin of value v for a feature with edges `upper` (0 for NaN). */
export function binOf(upper: Float64Array, v: number): number {
  if (Number.isNaN(v)) return 0;
  let lo = 0;
  let hi = upper.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= upper[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
}

/** Row-major bins (row k, feature f at k·nFeatures + f) of feature-major columns. */
export function binRows(binner: Binner, columns: Float64Array[]): Uint8Array {
  const nFeatures = columns.length;
  const n = nFeatures === 0 ? 0 : columns[0].length;
  const out = new Uint8Array(n * nFeatures);
  for (let f = 0; f < nFeatures; f++) {
    const col = columns[f];
    const upper = binner.upper[f];
    for (let k = 0; k < n; k++) out[k * nFeatures + f] = binOf(upper, col[k]);
  }
  return out;
}

/** Number of bins of each feature including the NaN bin. */
export function binCounts(binner: Binner): Int32Array {
  return Int32Array.from(binner.upper, (u) => u.length + 1);
}
