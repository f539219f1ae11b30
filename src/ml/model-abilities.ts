/**
 * What some models can do beyond the common Model API, and serving relies on: style clusters,
 * per-segment popularity, fit prediction, a content space for onboarding answers, an ANN index. A
 * model declares its abilities (`Model.abilities`, model.ts); serving asks for them by name here,
 * never by shape. A wrapper that does not pass `abilities` on (fault injection) has none.
 */
import type { AttributeValue, UserPreferences } from '../core/types.ts';
import type { ContentModel } from './content/content-model.ts';
import { profileFromPreferences } from './content/preferences.ts';
import type { Model, RecommendOptions, ScoredItem, UserQuery } from './model.ts';

export interface StyleClusterSource {
  readonly clusters: ReadonlyArray<{ cluster: number; name: string; size: number }>;
  matchUser(user: UserQuery): Array<{ cluster: number; name: string; size: number; score: number }>;
  clusterItems(cluster: number, n?: number): string[];
}

export interface SegmentedPopularity {
  readonly segments: readonly string[];
  bySegment(segment: string, n: number, opts?: RecommendOptions): ScoredItem[];
}

/** What a fit model is asked; `attributes` (the member's profile) stand in for a body it never saw. */
export interface FitPredictor {
  predict(user: string, itemId: string, size: string, attributes?: MemberAttributes): { small: number; fit: number; large: number };
  /** optional batch form (one pass over many items; the fit model's is ~4× cheaper per item) */
  predictMany?(user: string, itemIds: readonly string[], size: string, attributes?: MemberAttributes): Array<{ small: number; fit: number; large: number }>;
  /** false when the model never saw the member (then their profile is worth reading) */
  knows?(user: string): boolean;
}

/** A member's profile attributes (body measurements…). */
export type MemberAttributes = Readonly<Record<string, AttributeValue>>;

/** Retrieval through an approximate index (ADR 0005): built and calibrated once, as the model loads. */
export interface AnnRetrievable {
  readonly items: readonly string[];
  attachAnnIndex(opts: { targetRecall: number; k?: number }): { recall: number; probes: number; lists: number; scannedFraction: number; buildMs: number };
}

/** The abilities a model declares; each is the model itself or a part of it. */
export interface ModelAbilities {
  styleClusters?: StyleClusterSource;
  segments?: SegmentedPopularity;
  fit?: FitPredictor;
  /** the content space it scores in (a content model, or the one inside style clusters) */
  content?: ContentModel;
  ann?: AnnRetrievable;
}

/** The model as a style-cluster source, or undefined. */
export function asStyleClusters(model: Model): StyleClusterSource | undefined {
  return model.abilities?.styleClusters;
}

/** The model as a per-segment popularity source, or undefined. */
export function asSegmentedPopularity(model: Model): SegmentedPopularity | undefined {
  return model.abilities?.segments;
}

/** The model as a fit predictor, or undefined (no model, or not a fit model). */
export function asFitPredictor(model: Model | undefined): FitPredictor | undefined {
  return model?.abilities?.fit;
}

/** The content space a model scores in, or undefined. */
export function contentOf(model: Model): ContentModel | undefined {
  return model.abilities?.content;
}

/** The model's ANN retrieval, or undefined (it always answers exactly). */
export function annOf(model: Model): AnnRetrievable | undefined {
  return model.abilities?.ann;
}

const preferenceCache = new WeakMap<object, Map<string, Float32Array | null>>();

/**
 * A member's profile vector from onboarding answers in `model`'s content space (cached per model),
 * or undefined when the model has no content space or no answer matches its vocabulary.
 */
export function preferenceVector(model: Model, prefs: UserPreferences): Float32Array | undefined {
  if (!prefs.styles?.length && !prefs.occasions?.length) return undefined;
  const content = contentOf(model);
  if (!content) return undefined;
  let cache = preferenceCache.get(content);
  if (!cache) preferenceCache.set(content, (cache = new Map()));
  const key = JSON.stringify([prefs.styles ?? [], prefs.occasions ?? [], prefs.avoid ?? []]);
  let vector = cache.get(key);
  if (vector === undefined) {
    try {
      vector = profileFromPreferences(prefs, content);
    } catch {
      vector = null;
    }
    if (cache.size >= 10_000) cache.clear();
    cache.set(key, vector);
  }
  return vector ?? undefined;
}
