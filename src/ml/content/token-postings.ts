/**
 * The item vectors' token part transposed: for every token, the items that carry it and its value
 * there, items ascending. Scoring a profile then touches only the postings of the profile's nonzero
 * tokens instead of every item's tokens. Appending an item only pushes onto its tokens' lists, so
 * serving's new items need no rebuild.
 */
import { grow } from '../common/grow-array.ts';

export class TokenPostings {
  private readonly items: Int32Array[];
  private readonly values: Float32Array[];
  private readonly lengths: Int32Array;

  constructor(vocabSize: number) {
    this.items = Array.from({ length: vocabSize }, () => new Int32Array(4));
    this.values = Array.from({ length: vocabSize }, () => new Float32Array(4));
    this.lengths = new Int32Array(vocabSize);
  }

  /** Postings of the CSR rows `indptr/indices/values` for items 0..n-1. */
  static fromRows(vocabSize: number, n: number, indptr: Int32Array, indices: Int32Array, values: Float32Array): TokenPostings {
    const out = new TokenPostings(vocabSize);
    const df = new Int32Array(vocabSize);
    for (let k = 0; k < indptr[n]; k++) df[indices[k]]++;
    for (let t = 0; t < vocabSize; t++) {
      out.items[t] = new Int32Array(Math.max(4, df[t]));
      out.values[t] = new Float32Array(Math.max(4, df[t]));
    }
    for (let i = 0; i < n; i++) out.add(i, indices, values, indptr[i], indptr[i + 1]);
    return out;
  }

  /** Adds item `item` (larger than every item held) with tokens indices[from..to). */
  add(item: number, indices: ArrayLike<number>, values: ArrayLike<number>, from = 0, to = indices.length): void {
    for (let k = from; k < to; k++) {
      const t = indices[k];
      const len = this.lengths[t];
      if (len === this.items[t].length) {
        this.items[t] = grow(this.items[t], len * 2);
        this.values[t] = grow(this.values[t], len * 2);
      }
      this.items[t][len] = item;
      this.values[t][len] = values[k];
      this.lengths[t] = len + 1;
    }
  }

  /**
   * acc[i] += profile[t] · value(i, t) for every nonzero profile token t, tokens ascending: each item's
   * terms arrive in the same order as a scan of its own (sorted) tokens, so the sums are the same.
   */
  accumulate(profile: Float32Array, acc: Float64Array): void {
    for (let t = 0; t < this.lengths.length; t++) {
      const p = profile[t];
      if (p === 0) continue;
      const items = this.items[t];
      const values = this.values[t];
      const len = this.lengths[t];
      for (let k = 0; k < len; k++) acc[items[k]] += values[k] * p;
    }
  }
}
