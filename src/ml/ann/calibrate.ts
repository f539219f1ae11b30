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
  return recallAgainst(index, exactTruth(index, vectors, queries, k), queries, k, probes);
}

/**
 * Sets `index.probes` to the fewest lists whose recall@k on `queries` reaches `target` (binary search:
 * recall grows with probes) and returns the report at that setting. Exact answers are computed once.
 */
export function calibrateProbes(index: IvfIndex, vectors: Float32Array, queries: Float32Array, k: number, target: number): RecallReport {
  const truth = exactTruth(index, vectors, queries, k);
  let lo = 1, hi = index.lists;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (recallAgainst(index, truth, queries, k, mid).recall >= target) hi = mid; else lo = mid + 1;
  }
  index.probes = lo;
  return recallAgainst(index, truth, queries, k, lo);
}

/** The exact top-k of each query (empty lists for queries with no answer). */
function exactTruth(index: IvfIndex, vectors: Float32Array, queries: Float32Array, k: number): Int32Array[] {
  const { n, dim, metric } = index;
  const m = Math.floor(queries.length / dim);
  return Array.from({ length: m }, (_, j) => exactSearch(vectors, n, dim, metric, queries.subarray(j * dim, (j + 1) * dim), k).indexes);
}

function recallAgainst(index: IvfIndex, truth: readonly Int32Array[], queries: Float32Array, k: number, probes: number): RecallReport {
  const { n, dim } = index;
  let recall = 0, scanned = 0, counted = 0;
  truth.forEach((expected, j) => {
    if (expected.length === 0) return;
    const got = index.search(queries.subarray(j * dim, (j + 1) * dim), k, { probes });
    const found = new Set(got.indexes);
    let hit = 0;
    for (const i of expected) if (found.has(i)) hit++;
    recall += hit / expected.length;
    scanned += got.scanned / n;
    counted++;
  });
  return { k, probes, queries: counted, recall: counted ? recall / counted : 1, scannedFraction: counted ? scanned / counted : 0 };
}
