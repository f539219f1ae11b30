/**
 * An inverted-file (IVF) index over item vectors: a spherical k-means coarse quantiser in the unit
 * space of unit-space.ts, items stored list by list (contiguous, for the scan), and an exact re-rank of
 * every item in the probed lists. A query scores the centroids, scans the `probes` best lists, and
 * keeps probing while fewer than `k` items pass the caller's filter — so a restrictive filter (sizes in
 * stock, held items) costs more lists, never fewer results than exact search would give.
 * Scores are the exact ones (inner product, or cosine), so ANN and exact lists compare directly.
 * Pure and deterministic given `seed`; typed arrays only.
 */
import { BoundedMinHeap } from '../common/top-n.ts';
import { SimdRowDots } from './simd-dots.ts';
import { nearestCentroid, sphericalKMeans } from './spherical-kmeans.ts';
import { type AnnMetric, dotAt, queryToUnitSpace, toUnitSpace } from './unit-space.ts';

export interface IvfBuildOptions {
  metric: AnnMetric;
  /**
   * coarse lists; default ≈ 1.5√n: fewer, larger lists trained on every row scan the same share of the
   * catalogue at the same recall as 3√n lists trained on a sample, with half the per-list work
   * (bench/results/serve-inproc.md)
   */
  lists?: number;
  /** lists scanned per query unless the search says otherwise (calibrate.ts picks it for a recall target) */
  probes?: number;
  seed?: number;
  /** k-means iterations (default 10) */
  iterations?: number;
  /** rows k-means trains on (default all: a sample of 20 per list needed ~40% more probes for the same recall) */
  sampleSize?: number;
}

export interface AnnSearchOptions {
  /** lists to scan at least (default: the index's) */
  probes?: number;
  /** excluded[i] ≠ 0: item i is never returned */
  excluded?: Uint8Array;
  /** item i is returned only when this says true; called only for items that would enter the top k */
  accept?: (index: number) => boolean;
}

export interface AnnHits {
  /** item indexes, best first */
  indexes: Int32Array;
  /** their exact scores */
  scores: Float32Array;
  /** items whose score was computed (the work done; n for exact search) */
  scanned: number;
}

export class IvfIndex {
  probes: number;
  /** the scalar scan's dot products (no SIMD), made on first use */
  private scratch: Float32Array | undefined;

  private constructor(
    readonly metric: AnnMetric,
    readonly n: number,
    readonly dim: number,
    readonly lists: number,
    probes: number,
    /** lists × (dim + 1) unit centroids */
    private readonly centroids: Float32Array,
    /** list l holds order[offsets[l] .. offsets[l+1]) */
    private readonly offsets: Int32Array,
    /** item index of each stored row */
    private readonly order: Int32Array,
    /** stored row of each item index (order's inverse) */
    private readonly position: Int32Array,
    /** n × dim: the vectors in list order (unit rows for cosine) */
    private readonly rows: Float32Array,
    /** the same rows in a wasm arena, when SIMD is available */
    private readonly simd: SimdRowDots | undefined,
  ) {
    this.probes = probes;
  }

  /** Builds the index over `vectors` (n × dim, row-major). */
  static build(vectors: Float32Array, n: number, dim: number, opts: IvfBuildOptions): IvfIndex {
    if (vectors.length !== n * dim) throw new RangeError(`IvfIndex: ${vectors.length} numbers are not ${n} × ${dim}`);
    const lists = Math.max(1, Math.min(n, Math.round(opts.lists ?? 1.5 * Math.sqrt(n))));
    const unit = toUnitSpace(vectors, n, dim, opts.metric);
    const d1 = dim + 1;
    const centroids = n === 0 ? new Float32Array(d1) : sphericalKMeans(unit, n, d1, {
      k: lists, seed: opts.seed ?? 1, iterations: opts.iterations ?? 10, sampleSize: opts.sampleSize ?? n,
    });
    const k = centroids.length / d1;
    const assignment = new Int32Array(n);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      assignment[i] = nearestCentroid(unit, i * d1, centroids, k, d1);
      counts[assignment[i]]++;
    }
    const offsets = new Int32Array(k + 1);
    for (let c = 0; c < k; c++) offsets[c + 1] = offsets[c] + counts[c];
    const cursor = offsets.slice(0, k);
    const order = new Int32Array(n);
    const simd = SimdRowDots.create(n, dim, k);
    const rows = simd?.rows ?? new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      const at = cursor[assignment[i]]++;
      order[at] = i;
      if (opts.metric === 'cosine') for (let f = 0; f < dim; f++) rows[at * dim + f] = unit[i * d1 + f];
      else rows.set(vectors.subarray(i * dim, i * dim + dim), at * dim);
    }
    const probes = Math.max(1, Math.min(k, opts.probes ?? Math.ceil(k / 10)));
    const position = new Int32Array(n);
    order.forEach((item, at) => { position[item] = at; });
    return new IvfIndex(opts.metric, n, dim, k, probes, centroids, offsets, order, position, rows, simd);
  }

  /** The `k` best items for `query` (dim numbers) among the probed lists, best first. */
  search(query: ArrayLike<number>, k: number, opts: AnnSearchOptions = {}): AnnHits {
    const { dim, lists } = this;
    const want = Math.max(0, Math.min(k, this.n));
    if (want === 0) return { indexes: new Int32Array(0), scores: new Float32Array(0), scanned: 0 };
    const q = queryToUnitSpace(query, dim);
    const listScores = this.scoreLists(q);
    // cosine rows are unit vectors, so q's direction gives the cosine; inner product re-ranks on q itself
    const probe = this.metric === 'cosine' ? q : copyQuery(query, dim);
    const heap = new BoundedMinHeap(want);
    const probes = Math.min(lists, Math.max(1, opts.probes ?? this.probes));
    this.simd?.setQuery(probe);
    // the best `probes` lists, best first: the heap's threshold rises early, so fewer items reach the
    // caller's filter. A native sort of the scores gives the cut-off; only the probed lists are ordered.
    const cut = Float64Array.from(listScores).sort()[lists - probes];
    const probed = new Int32Array(lists);
    let m = 0;
    for (let l = 0; l < lists; l++) if (listScores[l] >= cut) probed[m++] = l;
    sortByScore(probed, m, listScores);
    // the probed lists' dot products in one SIMD call (a call per list cost as much as their arithmetic)
    const scored = this.simd?.listDots(probed, m, this.offsets);
    let items = 0;
    for (let j = 0; j < m; j++) items += this.scanList(probed[j], probe, heap, opts, scored);
    if (heap.size < want) {
      // the filter refused too many: go on through the other lists, best first, until `k` pass
      const rest = new Int32Array(lists - m);
      let r = 0;
      for (let l = 0; l < lists; l++) if (listScores[l] < cut) rest[r++] = l;
      sortByScore(rest, r, listScores);
      for (let j = 0; j < r && heap.size < want; j++) items += this.scanList(rest[j], probe, heap, opts);
    }
    // exact scores for what is returned (the SIMD scan sums in float32), and the order they give
    const indexes = heap.sortedIndexes();
    const exact = new Float64Array(indexes.length);
    for (let j = 0; j < indexes.length; j++) exact[j] = dotAt(this.rows, this.position[indexes[j]] * dim, probe, 0, dim);
    // insertion sort by (exact score desc, item asc): the heap's order is already nearly that one
    for (let j = 1; j < indexes.length; j++) {
      const item = indexes[j], score = exact[j];
      let i = j - 1;
      for (; i >= 0 && (exact[i] < score || (exact[i] === score && indexes[i] > item)); i--) {
        indexes[i + 1] = indexes[i];
        exact[i + 1] = exact[i];
      }
      indexes[i + 1] = item;
      exact[i + 1] = score;
    }
    return { indexes, scores: Float32Array.from(exact), scanned: items };
  }

  /** Each list's centroid · the unit query. */
  private scoreLists(q: Float32Array): Float64Array {
    const d1 = this.dim + 1;
    const scores = new Float64Array(this.lists);
    for (let c = 0; c < this.lists; c++) scores[c] = dotAt(this.centroids, c * d1, q, 0, d1);
    return scores;
  }

  /**
   * Scores list l's items into the heap (those that pass the options); the items scored. `scored`: the
   * list's dot products when already computed (indexed by stored row).
   */
  private scanList(l: number, probe: Float32Array, heap: BoundedMinHeap, opts: AnnSearchOptions, scored?: Float32Array): number {
    const { order } = this;
    const { excluded, accept } = opts;
    const start = this.offsets[l], end = this.offsets[l + 1];
    const dots = scored ?? (this.simd ? this.simd.dots(start, end) : this.scalarDots(start, end, probe));
    // the heap's worst score once full: anything below it is out without a call (ties still ask the heap)
    let floor = heap.size < heap.capacity ? -Infinity : heap.scores[0];
    for (let at = start; at < end; at++) {
      const s = dots[at];
      if (!(s >= floor) || !(s > -Infinity)) continue;
      const item = order[at];
      if (!heap.accepts(s, item)) continue;
      if (excluded !== undefined && excluded[item] !== 0) continue;
      if (accept !== undefined && !accept(item)) continue;
      heap.push(s, item);
      if (heap.size === heap.capacity) floor = heap.scores[0];
    }
    return end - start;
  }

  /** rows[start .. end) · probe without SIMD, into a scratch indexed like the SIMD output. */
  private scalarDots(start: number, end: number, probe: Float32Array): Float32Array {
    const out = (this.scratch ??= new Float32Array(this.n));
    for (let at = start; at < end; at++) out[at] = dotAt(this.rows, at * this.dim, probe, 0, this.dim);
    return out;
  }

}

/** The query's first dim numbers as a Float32Array (a plain loop: Float32Array.from with a map function is slow). */
function copyQuery(query: ArrayLike<number>, dim: number): Float32Array {
  const out = new Float32Array(dim);
  for (let f = 0; f < dim; f++) out[f] = query[f];
  return out;
}

/** lists[0 .. m) ordered by score descending, ties by list index (an insertion sort: m is a few hundred at most). */
function sortByScore(lists: Int32Array, m: number, scores: Float64Array): void {
  for (let j = 1; j < m; j++) {
    const l = lists[j], s = scores[l];
    let i = j - 1;
    for (; i >= 0 && (scores[lists[i]] < s || (scores[lists[i]] === s && lists[i] > l)); i--) lists[i + 1] = lists[i];
    lists[i + 1] = l;
  }
}
