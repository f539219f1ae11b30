/**
 * Trainer `fit`: the fit model behind the one Model API, so the pipeline trains, saves, registers and
 * serves it like every other algorithm. Serving reads `predict(user, item, size)` (P(small/fit/large))
 * to filter and boost; the ranking methods answer "what fits this member best":
 * - `recommend`/`score`: items by P(fit) at the member's latent size (nearest size the item was rented in);
 * - `similar`: items whose sizing runs most like this one (closest latent size offset).
 * The input interactions are the fit-labelled events (rents, returns, purchases carrying `fit`); the
 * input's member profiles give the body columns (height, weight, bust, body type…), which the model
 * keeps per member and which a prediction may give for a member it never saw (`attributes`).
 */
import { VitrineError } from '../../core/errors.ts';
import { loadArtifact, type ArtifactLoadOptions } from '../artifact.ts';
import { assertInteractions, throwIfAborted } from '../common/train-input.ts';
import type { AttributeValue } from '../../core/types.ts';
import type { ArtifactManifest, ModelAbilities, Model, RecommendOptions, ScoredItem, Trainer, TrainContext, TrainInput, UserQuery } from '../model.ts';
import { decodeFitModel, encodeFitModel, FIT_ALGORITHM, FIT_FORMAT_VERSION } from './fit-model-codec.ts';
import { FitModel, type FitProbabilities } from './fit-model.ts';
import { FIT_DEFAULTS, resolveFitParams, type FitParams } from './fit-params.ts';
import { fitDataFromInteractions, fitFeaturesOf } from './from-interactions.ts';
import { trainFitModel } from './train-fit.ts';

/** A member's fit ranking over the items the model knows; `predict` is what serving's fit filter calls. */
export class FitRankingModel implements Model {
  readonly algorithm = FIT_ALGORITHM;
  readonly manifest: ArtifactManifest;
  readonly abilities: ModelAbilities = { fit: this };

  constructor(readonly fit: FitModel, manifest?: ArtifactManifest) {
    this.manifest = manifest ?? { ...encodeFitModel(fit.parts).draft, payloads: {} };
  }

  /**
   * P(small), P(fit), P(large) of the member in the item in the size; `attributes` (their profile) stand
   * in for the body the model kept for them, or never saw.
   */
  predict(userId: string, itemId: string, size: string | number, attributes?: Readonly<Record<string, AttributeValue>>): FitProbabilities {
    return this.fit.predict(userId, itemId, size, attributes && fitFeaturesOf(attributes));
  }

  /** True when the model was trained on the member's feedback (it keeps their body and history). */
  knows(userId: string): boolean {
    return this.fit.userIndexOf(userId) >= 0;
  }

  /** The same for many items at once (one pass: what serving uses for a page). */
  predictMany(userId: string, itemIds: readonly string[], size: string | number, attributes?: Readonly<Record<string, AttributeValue>>): FitProbabilities[] {
    const p = this.fit.predictItems(userId, itemIds, size, attributes && fitFeaturesOf(attributes));
    return itemIds.map((_, k) => ({ small: p[k * 3], fit: p[k * 3 + 1], large: p[k * 3 + 2] }));
  }

  recommend(user: UserQuery, n: number, opts: RecommendOptions = {}): ScoredItem[] {
    const ids = this.fit.parts.vocab.itemIds.filter((id) => !opts.exclude?.has(id) && (opts.filter?.(id) ?? true));
    const scores = this.score(user, ids);
    return ids.map((itemId, k) => ({ itemId, score: scores[k] }))
      .filter((s) => Number.isFinite(s.score)).sort((a, b) => b.score - a.score).slice(0, n);
  }

  similar(itemId: string, n: number, opts: RecommendOptions = {}): ScoredItem[] {
    if (!this.fit.parts.vocab.itemIndex.has(itemId)) throw new VitrineError('VITRINE_MODEL_UNKNOWN_ITEM', `fit: never saw item "${itemId}"`);
    const offset = this.fit.itemOffset(itemId);
    return this.fit.parts.vocab.itemIds
      .filter((id) => id !== itemId && !opts.exclude?.has(id) && (opts.filter?.(id) ?? true))
      .map((id) => ({ itemId: id, score: -Math.abs(this.fit.itemOffset(id) - offset) }))
      .sort((a, b) => b.score - a.score).slice(0, n);
  }

  score(user: UserQuery, itemIds: readonly string[]): Float32Array {
    if (!('userId' in user)) throw new VitrineError('VITRINE_MODEL_UNKNOWN_USER', 'fit: scores members by id only');
    const size = this.fit.memberSize(user.userId);
    if (Number.isNaN(size)) throw new VitrineError('VITRINE_MODEL_UNKNOWN_USER', `fit: never saw member "${user.userId}" rent`);
    return Float32Array.from(itemIds, (id) => this.fit.parts.vocab.itemIndex.has(id) ? this.fit.predict(user.userId, id, size).fit : Number.NaN);
  }

  save(dir: string): Promise<void> {
    return this.fit.save(dir);
  }
}

export const fitTrainer: Trainer<FitParams> = {
  algorithm: FIT_ALGORITHM,
  defaults: FIT_DEFAULTS,
  resolveParams: resolveFitParams,
  async train(input: TrainInput, params?: Partial<FitParams>, ctx: TrainContext = {}): Promise<Model> {
    assertInteractions(FIT_ALGORITHM, input.interactions);
    throwIfAborted(FIT_ALGORITHM, ctx.signal);
    const attributes = input.members?.attributes;
    const data = fitDataFromInteractions(input.interactions, input.items, attributes && ((id) => attributes.get(id)));
    if (data.labels.length === 0) throw new VitrineError('VITRINE_MODEL_EMPTY_DATA', 'fit: no event carries fit feedback (small / fit / large)');
    return new FitRankingModel(trainFitModel(data, params, ctx));
  },
  async load(dir: string, opts?: ArtifactLoadOptions): Promise<Model> {
    const loaded = await loadArtifact(dir, FIT_ALGORITHM, FIT_FORMAT_VERSION, opts);
    const fit = new FitModel(decodeFitModel(loaded));
    // serving loads models this way: build and warm the page predictor now, not on the first pages
    fit.warmServing();
    return new FitRankingModel(fit, loaded.manifest);
  },
};
