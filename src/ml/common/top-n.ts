/**
 * Top-N selection with a bounded min-heap over typed arrays: the serving hot path. O(nItems) scan with
 * one comparison per item that cannot enter the heap; the filter callback runs only for contenders.
 * Ties go to the lower index, so rankings are deterministic.
 */

/** A fixed-capacity min-heap of (score, index); the root is the worst kept entry. */
export class BoundedMinHeap {
  readonly scores: Float64Array;
  readonly indexes: Int32Array;
  size = 0;

  constructor(readonly capacity: number) {
    this.scores = new Float64Array(capacity);
    this.indexes = new Int32Array(capacity);
  }

  /** True when (score, index) would enter the heap. */
  accepts(score: number, index: number): boolean {
    if (this.size < this.capacity) return true;
    const s0 = this.scores[0];
    return score > s0 || (score === s0 && index < this.indexes[0]);
  }

  /** Offers an entry; it replaces the worst one when the heap is full and it is better. */
  push(score: number, index: number): void {
    if (this.capacity === 0) return;
    if (this.size < this.capacity) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(score, index, this.scores[parent], this.indexes[parent])) break;
        this.scores[i] = this.scores[parent];
        this.indexes[i] = this.indexes[parent];
        i = parent;
      }
      this.scores[i] = score;
      this.indexes[i] = index;
      return;
    }
    if (!this.accepts(score, index)) return;
    this.siftDown(score, index);
  }

  /**
   * The kept indexes, best first; empties the heap. Popping the root (the worst) into the output from
   * its end is the same order as sorting by (score desc, index asc), without a comparator closure or
   * boxed arrays: it was ~3.5% of a simulated page's CPU.
   */
  sortedIndexes(): Int32Array {
    const out = new Int32Array(this.size);
    for (let k = this.size - 1; k >= 0; k--) {
      out[k] = this.indexes[0];
      const last = --this.size;
      if (last > 0) this.siftDown(this.scores[last], this.indexes[last]);
    }
    return out;
  }

  private siftDown(score: number, index: number): void {
    const n = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && worse(this.scores[r], this.indexes[r], this.scores[l], this.indexes[l])) c = r;
      if (!worse(this.scores[c], this.indexes[c], score, index)) break;
      this.scores[i] = this.scores[c];
      this.indexes[i] = this.indexes[c];
      i = c;
    }
    this.scores[i] = score;
    this.indexes[i] = index;
  }
}

/** (sa, ia) ranks below (sb, ib): a lower score, or an equal score at a higher index. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/**
 * Indexes of the `n` highest scores, best first. NaN and −Infinity mean "not recommendable" and are
 * skipped, as are indexes set in `excluded` and those `accept` refuses.
 */
export function topN(
  scores: Float32Array | Float64Array,
  n: number,
  excluded?: Uint8Array,
  accept?: (index: number) => boolean,
): Int32Array {
  const heap = new BoundedMinHeap(Math.max(0, Math.min(n, scores.length)));
  if (heap.capacity === 0) return new Int32Array(0);
  // −Infinity until the heap is full, then its root: one comparison rejects most items (and NaN, −Infinity).
  // Indexes rise during the scan, so an equal score never beats the root (ties go to the lower index).
  let threshold = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!(s > threshold)) continue;
    if (excluded !== undefined && excluded[i] !== 0) continue;
    if (accept !== undefined && !accept(i)) continue;
    heap.push(s, i);
    if (heap.size === heap.capacity) threshold = heap.scores[0];
  }
  return heap.sortedIndexes();
}
