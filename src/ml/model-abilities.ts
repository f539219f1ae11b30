/**
 * What a loaded model can do beyond the common Model API, found by shape rather than by class, so a
 * model wrapped by the model manager (fault injection, instrumentation) keeps its extra abilities:
 * style clusters, per-segment popularity, a content space for onboarding answers, fit prediction.
 */
import type { AttributeValue } from '../core/types.ts';
import type { UserPreferences } from '../core/types.ts';
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

const isFunction = (o: object, name: string): boolean => typeof (o as Record<string, unknown>)[name] === 'function';

/** The model as a style-cluster source, or undefined. */
export function asStyleClusters(model: Model): (Model & StyleClusterSource) | undefined {
  return isFunction(model, 'matchUser') && isFunction(model, 'clusterItems') ? (model as Model & StyleClusterSource) : undefined;
}

/** The model as a per-segment popularity source, or undefined. */
export function asSegmentedPopularity(model: Model): (Model & SegmentedPopularity) | undefined {
  return isFunction(model, 'bySegment') && Array.isArray((model as Partial<SegmentedPopularity>).segments)
    ? (model as Model & SegmentedPopularity) : undefined;
}

/** The object as a fit predictor, or undefined. */
export function asFitPredictor(model: unknown): FitPredictor | undefined {
  return model && typeof model === 'object' && isFunction(model, 'predict') ? (model as FitPredictor) : undefined;
}

/** The content space a model scores in (a content model, or the one inside style clusters), or undefined. */
export function contentOf(model: Model): ContentModel | undefined {
  const hasSpace = (o: unknown): o is ContentModel => !!o && typeof o === 'object'
    && !!(o as { space?: { vocab?: unknown } }).space && Array.isArray((o as ContentModel).space.vocab);
  if (hasSpace(model)) return model;
  const inner = (model as { content?: unknown }).content;
  return hasSpace(inner) ? inner : undefined;
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
