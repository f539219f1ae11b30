/**
 * The vector space of the content model: idf-weighted feature tokens (L2-normalised) concatenated with
 * the item's embedding (L2-normalised), weighted and normalised again, so that the dot product of two
 * items is their cosine. Item vectors are stored sparse (tokens) + dense (embedding); a member profile
 * is one dense vector of length vocab + embeddingDim.
 */
import { VitrineError } from '../../core/errors.ts';
import { itemTokens, type ContentItemInput } from './item-tokens.ts';

export interface SpaceWeights {
  featureWeight: number;
  embeddingWeight: number;
}

/** One item's vector: sparse token part and dense embedding part. */
export interface ItemVector {
  indices: Int32Array;
  values: Float32Array;
  embedding: Float32Array;
}

export class ContentSpace {
  readonly tokenIndex: ReadonlyMap<string, number>;

  constructor(
    readonly vocab: readonly string[],
    readonly idf: Float32Array,
    readonly embeddingDim: number,
    readonly weights: SpaceWeights,
  ) {
    this.tokenIndex = new Map(vocab.map((t, k) => [t, k]));
  }

  /** Length of a profile vector: one slot per token, then the embedding. */
  get dim(): number {
    return this.vocab.length + this.embeddingDim;
  }

  /** The unit vector of an item (zero when it has no known token and no embedding). */
  vectorize(item: ContentItemInput, label: string): ItemVector {
    const embedding = this.checkedEmbedding(item.embedding, label);
    const known = itemTokens(item).map((t) => this.tokenIndex.get(t)).filter((k): k is number => k !== undefined);
    const indices = Int32Array.from(known).sort();
    let tokNorm = 0;
    for (const k of indices) tokNorm += this.idf[k] ** 2;
    tokNorm = Math.sqrt(tokNorm);
    let embNorm = 0;
    for (let d = 0; d < embedding.length; d++) embNorm += embedding[d] ** 2;
    embNorm = Math.sqrt(embNorm);
    const a = tokNorm > 0 ? this.weights.featureWeight : 0;
    const c = embNorm > 0 ? this.weights.embeddingWeight : 0;
    const total = Math.sqrt(a * a + c * c);
    const values = Float32Array.from(indices, (k) => (total > 0 ? (this.idf[k] / tokNorm) * (a / total) : 0));
    if (c > 0) for (let d = 0; d < embedding.length; d++) embedding[d] = (embedding[d] / embNorm) * (c / total);
    else embedding.fill(0);
    return { indices, values, embedding };
  }

  /** A finite embedding of the model's dimension (zeros when absent); VITRINE_MODEL_BAD_EMBEDDING otherwise. */
  checkedEmbedding(raw: ArrayLike<number> | undefined, label: string): Float32Array {
    const out = new Float32Array(this.embeddingDim);
    if (raw === undefined) return out;
    if (raw.length !== this.embeddingDim) {
      throw new VitrineError('VITRINE_MODEL_BAD_EMBEDDING',
        `${label}: embedding has ${raw.length} dimensions, the model has ${this.embeddingDim}`);
    }
    for (let d = 0; d < raw.length; d++) {
      if (!Number.isFinite(raw[d])) throw new VitrineError('VITRINE_MODEL_BAD_EMBEDDING', `${label}: embedding value ${d} is ${raw[d]}`);
      out[d] = raw[d];
    }
    return out;
  }
}
