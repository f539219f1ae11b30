/**
 * The content model: items as vectors of their side information (+ embedding), a member as the
 * normalised weighted sum of their items' vectors, scores as cosines. It knows items nobody has
 * touched, and `addItem` makes a new item recommendable at once, without retraining.
 */
import { VitrineError } from '../../core/errors.ts';
import { payloadOf, stringsOf, type LoadedArtifact, type Payloads } from '../artifact.ts';
import { ItemScoringModel } from '../common/item-scoring-model.ts';
import { UserHistory } from '../common/user-history.ts';
import type { ArtifactManifest, ModelAbilities, UserQuery } from '../model.ts';
import { ContentSpace } from './content-space.ts';
import type { ContentItemInput } from './item-tokens.ts';
import { ItemVectors } from './item-vectors.ts';

export const CONTENT_FORMAT_VERSION = 1;

export class ContentModel extends ItemScoringModel {
  // new items enter at once (addItem): this model's own list and index, not the ones its artifact's
  // id list shares with the thread's other models (id-lists.ts)
  private readonly ownIds: string[];
  private readonly ownIndex: Map<string, number>;
  readonly abilities: ModelAbilities = { content: this };

  constructor(
    manifest: ArtifactManifest,
    itemIds: readonly string[],
    private readonly history: UserHistory,
    readonly space: ContentSpace,
    readonly vectors: ItemVectors,
  ) {
    const ownIds = [...itemIds];
    const ownIndex = new Map(ownIds.map((id, i) => [id, i]));
    super(manifest.algorithm, manifest, ownIds, ownIndex);
    this.ownIds = ownIds;
    this.ownIndex = ownIndex;
  }

  /** Rebuilds a saved content model; `prefix` names its payloads inside a larger artifact. */
  static fromArtifact(loaded: LoadedArtifact, prefix = ''): ContentModel {
    const itemIds = stringsOf(loaded, 'itemIds');
    const n = itemIds.length;
    const vocab = stringsOf(loaded, `${prefix}vocab`);
    const idf = payloadOf(loaded, `${prefix}idf`, Float32Array, vocab.length);
    const dim = Number(loaded.manifest.extra?.embeddingDim ?? 0);
    const featureWeight = Number(loaded.manifest.params.featureWeight ?? 1);
    const embeddingWeight = Number(loaded.manifest.params.embeddingWeight ?? 1);
    const indptr = payloadOf(loaded, `${prefix}vectorIndptr`, Int32Array, n + 1);
    const indices = payloadOf(loaded, `${prefix}vectorTokens`, Int32Array, indptr[n]);
    const values = payloadOf(loaded, `${prefix}vectorValues`, Float32Array, indptr[n]);
    const embeddings = payloadOf(loaded, `${prefix}embeddings`, Float32Array, n * dim);
    if (!Number.isInteger(dim) || dim < 0 || indices.some((k) => k < 0 || k >= vocab.length)) {
      throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', 'content: item vectors are inconsistent with the vocabulary');
    }
    const space = new ContentSpace(vocab, idf, dim, { featureWeight, embeddingWeight });
    const vectors = new ItemVectors(vocab.length, dim, { indptr, indices, values, embeddings });
    return new ContentModel(loaded.manifest, itemIds, UserHistory.fromPayloads(loaded, n), space, vectors);
  }

  /**
   * Adds (or replaces) an item from its features, recommendable at once. Tokens the vocabulary lacks
   * are ignored; a NaN/Infinity or wrong-dimension embedding → VITRINE_MODEL_BAD_EMBEDDING.
   */
  addItem(itemId: string, features: ContentItemInput): void {
    const vec = this.space.vectorize(features, `${this.algorithm}: item "${itemId}"`);
    const existing = this.ownIndex.get(itemId);
    if (existing !== undefined) {
      this.vectors.set(existing, vec);
      return;
    }
    this.vectors.set(this.ownIds.length, vec);
    this.ownIndex.set(itemId, this.ownIds.length);
    this.ownIds.push(itemId);
  }

  knowsUser(user: UserQuery): boolean {
    return this.history.knows(user, this.itemIndex);
  }

  /** The member's unit profile vector (length `space.dim`): from their items, or a given vector. */
  profile(user: UserQuery): Float32Array {
    if ('vector' in user) return this.checkedVector(user.vector);
    const { items, weights } = this.history.resolve(this.algorithm, user, this.itemIndex);
    const profile = new Float32Array(this.space.dim);
    for (let t = 0; t < items.length; t++) this.vectors.addTo(profile, items[t], weights[t] > 0 ? weights[t] : 0);
    return normalise(profile);
  }

  protected userScores(user: UserQuery): Float32Array {
    return this.vectors.dotAll(this.profile(user));
  }

  /** Cosine of item index `item` with every item (a fresh array). */
  similarityTo(item: number): Float32Array {
    const profile = new Float32Array(this.space.dim);
    this.vectors.addTo(profile, item, 1);
    return this.vectors.dotAll(profile);
  }

  protected itemScores(item: number): Float32Array {
    return this.similarityTo(item);
  }

  protected payloads(): Payloads {
    return { ...this.history.toPayloads(), ...this.contentPayloads() };
  }

  /** The vocabulary and item vectors (prefixed when embedded in another model's artifact). */
  contentPayloads(prefix = ''): Payloads {
    const a = this.vectors.arrays();
    return {
      [`${prefix}vocab`]: this.space.vocab,
      [`${prefix}idf`]: this.space.idf,
      [`${prefix}vectorIndptr`]: a.indptr,
      [`${prefix}vectorTokens`]: a.indices,
      [`${prefix}vectorValues`]: a.values,
      [`${prefix}embeddings`]: a.embeddings,
    };
  }

  /** The user history payloads (for models that embed this one). */
  historyPayloads(): Payloads {
    return this.history.toPayloads();
  }

  private checkedVector(v: Float32Array): Float32Array {
    if (v.length !== this.space.dim) {
      throw new VitrineError('VITRINE_MODEL_BAD_EMBEDDING', `${this.algorithm}: a profile vector has ${this.space.dim} dimensions, got ${v.length}`);
    }
    for (let k = 0; k < v.length; k++) {
      if (!Number.isFinite(v[k])) throw new VitrineError('VITRINE_MODEL_BAD_EMBEDDING', `${this.algorithm}: profile vector value ${k} is ${v[k]}`);
    }
    return v;
  }
}

/** v / ‖v‖ in place (a zero vector stays zero). */
export function normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let k = 0; k < v.length; k++) v[k] *= inv;
  }
  return v;
}
