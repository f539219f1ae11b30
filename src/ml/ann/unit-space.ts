/**
 * Maximum inner product search as nearest-neighbour search on the unit sphere (Bachrach et al.,
 * "Speeding up the Xbox recommender system using a Euclidean transformation for inner-product
 * spaces", RecSys 2014): each item x becomes [x, √(M² − |x|²)] / M, M the largest item norm, and a
 * query q becomes [q / |q|, 0]. Then q'·x' = q·x / (|q| M): the inner-product ranking of every query is
 * kept, and all items lie on the sphere, where spherical k-means partitions well. For cosine the
 * items are simply normalised (the extra coordinate is 0).
 */

export type AnnMetric = 'inner-product' | 'cosine';

/** n × (dim + 1) unit rows, row-major. */
export function toUnitSpace(vectors: Float32Array, n: number, dim: number, metric: AnnMetric): Float32Array {
  const d1 = dim + 1;
  const out = new Float32Array(n * d1);
  const norms = new Float64Array(n);
  let maxNorm = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let f = 0; f < dim; f++) s += vectors[i * dim + f] * vectors[i * dim + f];
    norms[i] = Math.sqrt(s);
    if (norms[i] > maxNorm) maxNorm = norms[i];
  }
  for (let i = 0; i < n; i++) {
    const scale = metric === 'cosine' ? norms[i] : maxNorm;
    if (!(scale > 0)) continue; // a zero vector stays zero: it matches nothing better than anything else
    for (let f = 0; f < dim; f++) out[i * d1 + f] = vectors[i * dim + f] / scale;
    if (metric === 'inner-product') out[i * d1 + dim] = Math.sqrt(Math.max(0, maxNorm * maxNorm - norms[i] * norms[i])) / maxNorm;
  }
  return out;
}

/** The query's direction, padded with the extra coordinate 0 (dim + 1 numbers). */
export function queryToUnitSpace(query: ArrayLike<number>, dim: number): Float32Array {
  const out = new Float32Array(dim + 1);
  let s = 0;
  for (let f = 0; f < dim; f++) s += query[f] * query[f];
  const norm = Math.sqrt(s);
  if (norm > 0) for (let f = 0; f < dim; f++) out[f] = query[f] / norm;
  return out;
}

/** a[ao .. ao+d) · b[bo .. bo+d) */
export function dotAt(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const d4 = d - (d % 4);
  let f = 0;
  for (; f < d4; f += 4) {
    s0 += a[ao + f] * b[bo + f];
    s1 += a[ao + f + 1] * b[bo + f + 1];
    s2 += a[ao + f + 2] * b[bo + f + 2];
    s3 += a[ao + f + 3] * b[bo + f + 3];
  }
  for (; f < d; f++) s0 += a[ao + f] * b[bo + f];
  return s0 + s1 + s2 + s3;
}
