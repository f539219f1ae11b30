/**
 * Exact top-k over the same vectors and metric as the ANN index: the reference its recall is measured
 * against, and what serving does below the catalogue-size threshold.
 */
import { topN } from '../common/top-n.ts';
import type { AnnHits, AnnSearchOptions } from './ivf-index.ts';
import type { AnnMetric } from './unit-space.ts';
import { dotAt } from './unit-space.ts';

/** Every item scored against `query`; the best `k` that pass the options, best first. */
export function exactSearch(
  vectors: Float32Array, n: number, dim: number, metric: AnnMetric, query: ArrayLike<number>, k: number,
  opts: Omit<AnnSearchOptions, 'probes'> = {},
): AnnHits {
  const q = Float32Array.from({ length: dim }, (_, f) => query[f]);
  let qNorm = 0;
  for (let f = 0; f < dim; f++) qNorm += q[f] * q[f];
  qNorm = Math.sqrt(qNorm);
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s = dotAt(vectors, i * dim, q, 0, dim);
    if (metric === 'inner-product') { scores[i] = s; continue; }
    const norm = Math.sqrt(dotAt(vectors, i * dim, vectors, i * dim, dim)) * qNorm;
    scores[i] = norm > 0 ? s / norm : 0;
  }
  const indexes = topN(scores, k, opts.excluded, opts.accept);
  return { indexes, scores: Float32Array.from(indexes, (i) => scores[i]), scanned: n };
}
