/**
 * Every item's content vector in flat typed arrays (sparse token rows + dense embedding rows), with
 * room to append: serving adds a new item without retraining. Scoring a profile against all items
 * walks the token postings of the profile's nonzero tokens (token-postings.ts), then the embeddings.
 */
import { grow } from '../common/grow-array.ts';
import type { ItemVector } from './content-space.ts';
import { addEmbeddingDots } from './embedding-dots.ts';
import { TokenPostings } from './token-postings.ts';

export class ItemVectors {
  private indptr: Int32Array;
  private indices: Int32Array;
  private values: Float32Array;
  private embeddings: Float32Array;
  private n: number;
  // the token rows transposed, built at the first scoring and kept up to date by appends
  private postings: TokenPostings | undefined;
  // dotAll's running sums: one reused buffer (scoring is synchronous, never re-entered)
  private acc = new Float64Array(0);

  constructor(
    readonly vocabSize: number,
    readonly embeddingDim: number,
    rows: { indptr: Int32Array; indices: Int32Array; values: Float32Array; embeddings: Float32Array },
  ) {
    this.n = rows.indptr.length - 1;
    this.indptr = rows.indptr;
    this.indices = rows.indices;
    this.values = rows.values;
    this.embeddings = rows.embeddings;
  }

  /** Packs per-item vectors. */
  static from(vocabSize: number, embeddingDim: number, vectors: readonly ItemVector[]): ItemVectors {
    const indptr = new Int32Array(vectors.length + 1);
    vectors.forEach((v, i) => (indptr[i + 1] = indptr[i] + v.indices.length));
    const indices = new Int32Array(indptr[vectors.length]);
    const values = new Float32Array(indptr[vectors.length]);
    const embeddings = new Float32Array(vectors.length * embeddingDim);
    vectors.forEach((v, i) => {
      indices.set(v.indices, indptr[i]);
      values.set(v.values, indptr[i]);
      embeddings.set(v.embedding, i * embeddingDim);
    });
    return new ItemVectors(vocabSize, embeddingDim, { indptr, indices, values, embeddings });
  }

  get count(): number {
    return this.n;
  }

  /** The packed arrays, trimmed to the items held (for saving). */
  arrays(): { indptr: Int32Array; indices: Int32Array; values: Float32Array; embeddings: Float32Array } {
    const nnz = this.indptr[this.n];
    return {
      indptr: this.indptr.slice(0, this.n + 1),
      indices: this.indices.slice(0, nnz),
      values: this.values.slice(0, nnz),
      embeddings: this.embeddings.slice(0, this.n * this.embeddingDim),
    };
  }

  /** Token indexes and values of item i. */
  tokens(i: number): { indices: Int32Array; values: Float32Array } {
    return { indices: this.indices.subarray(this.indptr[i], this.indptr[i + 1]), values: this.values.subarray(this.indptr[i], this.indptr[i + 1]) };
  }

  /** profile += w · vector(i) (profile has length vocab + embeddingDim). */
  addTo(profile: Float32Array, i: number, w: number): void {
    for (let k = this.indptr[i]; k < this.indptr[i + 1]; k++) profile[this.indices[k]] += w * this.values[k];
    const d = this.embeddingDim;
    for (let e = 0; e < d; e++) profile[this.vocabSize + e] += w * this.embeddings[i * d + e];
  }

  /**
   * vector(i) · profile for every item (a fresh array the caller may keep or change). Sums in the
   * same order as a scan of each item's sorted tokens then its embedding, so scores are the same.
   */
  dotAll(profile: Float32Array): Float32Array {
    const n = this.n;
    if (this.acc.length < n) this.acc = new Float64Array(this.indptr.length - 1);
    const acc = this.acc;
    acc.fill(0, 0, n);
    this.postings ??= TokenPostings.fromRows(this.vocabSize, n, this.indptr, this.indices, this.values);
    this.postings.accumulate(profile, acc);
    if (this.hasEmbeddingPart(profile)) addEmbeddingDots(this.embeddings, n, this.embeddingDim, profile, this.vocabSize, acc);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = acc[i];
    return out;
  }

  /** False when the profile's embedding slots are all zero (or there are none): their dots add nothing. */
  private hasEmbeddingPart(profile: Float32Array): boolean {
    for (let e = this.vocabSize; e < this.vocabSize + this.embeddingDim; e++) if (profile[e] !== 0) return true;
    return false;
  }

  /** Replaces item i's vector, or appends it when i === count. */
  set(i: number, vec: ItemVector): void {
    if (i < this.n) {
      const all = Array.from({ length: this.n }, (_, r) => (r === i ? vec : this.vectorOf(r)));
      const packed = ItemVectors.from(this.vocabSize, this.embeddingDim, all).arrays();
      this.indptr = packed.indptr;
      this.indices = packed.indices;
      this.values = packed.values;
      this.embeddings = packed.embeddings;
      this.postings = undefined;
      return;
    }
    this.reserve(this.n + 1, this.indptr[this.n] + vec.indices.length);
    const start = this.indptr[this.n];
    this.indices.set(vec.indices, start);
    this.values.set(vec.values, start);
    this.embeddings.set(vec.embedding, this.n * this.embeddingDim);
    this.indptr[this.n + 1] = start + vec.indices.length;
    this.postings?.add(this.n, vec.indices, vec.values);
    this.n++;
  }

  private vectorOf(i: number): ItemVector {
    const { indices, values } = this.tokens(i);
    return { indices, values, embedding: this.embeddings.subarray(i * this.embeddingDim, (i + 1) * this.embeddingDim) };
  }

  /** Grows the arrays geometrically so appends are amortised O(1). */
  private reserve(items: number, nnz: number): void {
    if (this.indptr.length < items + 1) {
      const capacity = Math.max(items, (this.indptr.length - 1) * 2);
      this.indptr = grow(this.indptr, capacity + 1);
      this.embeddings = grow(this.embeddings, capacity * this.embeddingDim);
    }
    if (this.indices.length < nnz) {
      const size = Math.max(nnz, this.indices.length * 2);
      this.indices = grow(this.indices, size);
      this.values = grow(this.values, size);
    }
  }
}
