/**
 * Trainer `conversion`: each item's rent-per-view rate, smoothed by a Beta(α, β) prior so that an item
 * seen by 2 members is not ranked above one seen by 2,000:
 *   rate = (rents + α) / (views + α + β).
 * A view is any member who interacted with the item; a rent is one with an interaction of weight ≥
 * `conversionWeight`. With prior = 'auto', α and β come from the items' raw rates (method of moments).
 */
import { loadArtifact, type ArtifactLoadOptions } from '../artifact.ts';
import { buildCsr } from '../common/csr.ts';
import { nonNegative, oneOf, positive, resolveParams } from '../common/params.ts';
import { assertInteractions, throwIfAborted, trainingManifest } from '../common/train-input.ts';
import type { InteractionData } from '../dataset.ts';
import type { Model, Trainer, TrainContext, TrainInput } from '../model.ts';
import { POPULARITY_FORMAT_VERSION, PopularityModel } from './popularity-model.ts';

export type ConversionParams = {
  /** 'fixed' uses alpha and beta; 'auto' estimates them (falling back to alpha, beta when it cannot) */
  prior: 'fixed' | 'auto';
  alpha: number;
  beta: number;
  /** interactions at least this heavy count as a rent */
  conversionWeight: number;
  /** items with fewer views are left out of the 'auto' estimate */
  minViewsForPrior: number;
};

const DEFAULTS: ConversionParams = { prior: 'auto', alpha: 1, beta: 1, conversionWeight: 1, minViewsForPrior: 5 };
const RULES = { prior: oneOf('fixed', 'auto'), alpha: positive(), beta: positive(), conversionWeight: nonNegative, minViewsForPrior: nonNegative };

/** Defaults merged with `given`, each value checked against its rule. */
const resolveOwnParams = (given?: Partial<ConversionParams>): ConversionParams => resolveParams('conversion', DEFAULTS, given, RULES);

/** Distinct viewing and renting members per item. */
export function viewsAndRents(data: InteractionData, conversionWeight: number): { views: Float32Array; rents: Float32Array } {
  const nItems = data.itemIds.length;
  const pairs = buildCsr(nItems, data.userIds.length, data.items, data.users, data.weights, 'max');
  const views = new Float32Array(nItems);
  const rents = new Float32Array(nItems);
  for (let i = 0; i < nItems; i++) {
    views[i] = pairs.indptr[i + 1] - pairs.indptr[i];
    for (let k = pairs.indptr[i]; k < pairs.indptr[i + 1]; k++) if (pairs.values[k] >= conversionWeight) rents[i]++;
  }
  return { views, rents };
}

/** Beta(α, β) matching the mean and variance of the raw rates of items with ≥ minViews views; undefined when degenerate. */
export function momentsPrior(views: Float32Array, rents: Float32Array, minViews: number): { alpha: number; beta: number } | undefined {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < views.length; i++) {
    if (views[i] < minViews || views[i] === 0) continue;
    const r = rents[i] / views[i];
    n++;
    sum += r;
    sumSq += r * r;
  }
  if (n < 2) return undefined;
  const mean = sum / n;
  const variance = (sumSq - n * mean * mean) / (n - 1);
  if (!(variance > 0) || mean <= 0 || mean >= 1) return undefined;
  const strength = (mean * (1 - mean)) / variance - 1;
  if (!(strength > 0)) return undefined;
  return { alpha: mean * strength, beta: (1 - mean) * strength };
}

export const conversionTrainer: Trainer<ConversionParams> = {
  algorithm: 'conversion',
  defaults: DEFAULTS,
  resolveParams: resolveOwnParams,
  async train(input: TrainInput, params?: Partial<ConversionParams>, ctx: TrainContext = {}): Promise<Model> {
    const p = resolveOwnParams(params);
    const data = input.interactions;
    assertInteractions('conversion', data);
    throwIfAborted('conversion', ctx.signal);
    const { views, rents } = viewsAndRents(data, p.conversionWeight);
    const prior = (p.prior === 'auto' ? momentsPrior(views, rents, p.minViewsForPrior) : undefined) ?? { alpha: p.alpha, beta: p.beta };
    const scores = new Float32Array(views.length);
    for (let i = 0; i < scores.length; i++) scores[i] = (rents[i] + prior.alpha) / (views[i] + prior.alpha + prior.beta);
    const manifest = trainingManifest('conversion', POPULARITY_FORMAT_VERSION, p, data, prior);
    return new PopularityModel('conversion', manifest, data.itemIds, scores, undefined, undefined, { views, rents });
  },
  async load(dir: string, opts?: ArtifactLoadOptions): Promise<Model> {
    return PopularityModel.fromArtifact(await loadArtifact(dir, 'conversion', POPULARITY_FORMAT_VERSION, opts), ['views', 'rents']);
  },
};
