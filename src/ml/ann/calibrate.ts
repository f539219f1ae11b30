/**
 * Recall of the ANN index against exact search, and the fewest probes that reach a recall target on a
 * set of sample queries (for ALS: trained members' vectors — the queries serving will actually ask).
 * recall@k = |ANN top-k ∩ exact top-k| / |exact top-k|, averaged over queries.
 */
import { exactSearch } from './exact-search.ts';
import type { IvfIndex } from './ivf-index.ts';

export interface RecallReport {
  k: number;
  probes: number;
  queries: number;
  recall: number;
  /** mean share of the catalogue scored per query */
  scannedFraction: number;
}

/** Mean recall@k of `index` at `probes` over `queries` (m × dim rows). */
export function measureRecall(
  index: IvfIndex, vectors: Float32Array, queries: Float32Array, k: number, probes = index.probes,
): RecallReport {
  const { n, dim, metric } = index;
  const m = Math.floor(queries.length / dim);
  let recall = 0, scanned = 0, counted = 0;
  for (let j = 0; j < m; j++) {
    const q = queries.subarray(j * dim, (j + 1) * dim);
    const truth = exactSearch(vectors, n, dim, metric, q, k).indexes;
    if (truth.length === 0) continue;
    const got = index.search(q, k, { probes });
    const found = new Set(got.indexes);
    let hit = 0;
    for (const i of truth) if (found.has(i)) hit++;
    recall += hit / truth.length;
    scanned += got.scanned / n;
    counted++;
  }
  return { k, probes, queries: counted, recall: counted ? recall / counted : 1, scannedFraction: counted ? scanned / counted : 0 };
}

/**
 * Sets `index.probes` to the fewest lists whose recall@k on `queries` reaches `target` (binary search:
 * recall grows with probes) and returns the report at that setting.
 */
export function calibrateProbes(index: IvfIndex, vectors: Float32Array, queries: Float32Array, k: number, target: number): RecallReport {
  let lo = 1, hi = index.lists;
  let best = measureRecall(index, vectors, queries, k, hi);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const report = measureRecall(index, vectors, queries, k, mid);
    if (report.recall >= target) { hi = mid; best = report; } else lo = mid + 1;
  }
  if (best.probes !== lo) best = measureRecall(index, vectors, queries, k, lo);
  index.probes = lo;
  return best;
}
