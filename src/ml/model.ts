/**
 * The one API every algorithm follows (after implicit's RecommenderBase): a trainer separate from the
 * trained model; a model that recommends, finds similar items, scores, optionally folds in a new
 * member, and saves itself as a versioned artifact. Serving must treat every call as fallible.
 */
import type { ArtifactLoadOptions } from './artifact.ts';
import type { InteractionData, ItemFeatures, MemberFeatures } from './dataset.ts';
import type { ModelAbilities } from './model-abilities.ts';

export type { ModelAbilities };

export interface ScoredItem {
  itemId: string;
  score: number;
}

/** Who to recommend for: a known member by id, or a folded-in vector / interaction list. */
export type UserQuery =
  | { userId: string }
  | { vector: Float32Array }
  | { interactions: ReadonlyArray<{ itemId: string; weight?: number; ts?: number }> };

export interface RecommendOptions {
  /** item ids never to return (held, already seen…) */
  exclude?: ReadonlySet<string>;
  /** keep only items for which this returns true (size availability, category…) */
  filter?: (itemId: string) => boolean;
  /**
   * `filter` as a predicate on indexes into the model's own id list, when the caller can give one: the
   * same answers without a lookup by string per item (serving maps a model's ids to its catalogue once).
   * A model that uses it must give it the same id list every time (the list's identity is the key).
   */
  filterIndex?: (ids: readonly string[]) => (index: number) => boolean;
  /**
   * Approximate retrieval is acceptable: a model with an ANN index attached (AlsModel.attachAnnIndex,
   * ADR 0005) answers from it; any other model ignores this and answers exactly. Evaluation never sets it.
   */
  approximate?: boolean;
  /**
   * The time the question is asked, epoch ms; time-dependent features (recency, trending windows,
   * item age) are computed at it. Default: the model's training clock.
   */
  asOf?: number;
}

export interface TrainContext {
  signal?: AbortSignal;
  /** fraction done in [0, 1] and a short label */
  onProgress?: (fraction: number, label: string) => void;
  /** the training clock (epoch ms): "now" for recency features; defaults to the last interaction */
  now?: number;
}

export interface TrainInput {
  interactions: InteractionData;
  items?: ItemFeatures;
  /** member profiles (the fit model learns from body measurements); others ignore them */
  members?: MemberFeatures;
}

export interface Model {
  readonly algorithm: string;
  readonly manifest: ArtifactManifest;
  recommend(user: UserQuery, n: number, opts?: RecommendOptions): ScoredItem[];
  similar(itemId: string, n: number, opts?: RecommendOptions): ScoredItem[];
  /** Scores of `itemIds` for the member, in the given order (NaN for items the model never saw). */
  score(user: UserQuery, itemIds: readonly string[], opts?: { asOf?: number }): Float32Array;
  /**
   * False when the model never saw the member `user` describes, so that asking about them would throw
   * VITRINE_MODEL_UNKNOWN_USER: an id outside its training data, a list with no item it knows. A lookup,
   * no throw: serving asks it first, because members outside a model's data are the ordinary case of a
   * page, not misuse (the throw stays the contract of the other calls). True or absent: ask (the call may still fail).
   */
  knowsUser?(user: UserQuery): boolean;
  /** False for an item the model never saw (`similar` would throw VITRINE_MODEL_UNKNOWN_ITEM); true or absent: ask. */
  knowsItem?(itemId: string): boolean;
  /** A member's vector from their interactions (models with user factors only). */
  foldIn?(interactions: ReadonlyArray<{ itemId: string; weight?: number }>): Float32Array;
  /**
   * Work done once before the model serves, so that no request pays for it (ALS: the fold-in Gram,
   * tens of ms at catalogue scale). Serving calls it as the model loads; offline use may skip it.
   */
  prepareForServing?(): void;
  /** Writes the artifact (manifest + typed-array payloads) into `dir`. */
  save(dir: string): Promise<void>;
  /**
   * What it can do beyond this API that serving relies on (style clusters, segments, fit prediction,
   * content space, ANN: model-abilities.ts), declared by the model; none when absent.
   */
  readonly abilities?: ModelAbilities;
}

export interface Trainer<P = Record<string, unknown>> {
  readonly algorithm: string;
  readonly defaults: P;
  /** Defaults merged with `given`; VITRINE_MODEL_BAD_PARAMS for an unknown name or a value out of its bounds (pure, cheap: run before a job starts). */
  resolveParams(given?: Partial<P>): P;
  train(input: TrainInput, params?: Partial<P>, ctx?: TrainContext): Promise<Model>;
  /** Reads a saved model; `opts.pool` shares its typed payloads with other threads (artifact.ts). */
  load(dir: string, opts?: ArtifactLoadOptions): Promise<Model>;
}

/** Written beside every artifact's payloads; `load` checks format version and checksums. */
export interface ArtifactManifest {
  algorithm: string;
  formatVersion: number;
  params: Record<string, unknown>;
  createdAt: number;
  /** epoch ms range of the interactions trained on */
  dataFrom?: number;
  dataTo?: number;
  nUsers: number;
  nItems: number;
  nInteractions: number;
  /** payload file name → { dtype, length, sha256 } */
  payloads: Record<string, { dtype: string; length: number; sha256: string }>;
  /** small JSON-able extras (id lists live in payload `ids.json`) */
  extra?: Record<string, unknown>;
}
