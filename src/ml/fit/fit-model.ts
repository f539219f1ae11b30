/**
 * A trained fit model: P(small), P(fit), P(large) of a member in an item in a size. Members and items
 * it never saw still get predictions (from body columns, the item's history, the size alone).
 * Member and item columns not given at prediction time are taken from what training last saw.
 */
import { loadArtifact, saveArtifact } from '../artifact.ts';
import { alignFitData } from './align-fit-data.ts';
import type { FitColumn, FitData } from './fit-data.ts';
import { fitFeatureColumns } from './fit-features.ts';
import { decodeFitModel, encodeFitModel, FIT_ALGORITHM, FIT_FORMAT_VERSION, type FitModelParts } from './fit-model-codec.ts';
import { predictForest } from './gbdt/forest.ts';
import { FitServingPredictor } from './serving-predictor.ts';
import { normaliseSize } from './size-normaliser.ts';

export interface FitProbabilities {
  small: number;
  fit: number;
  large: number;
}

/** Row-level feature values for a prediction: numbers for numeric columns, labels for categorical. */
export type FitFeatureValues = Record<string, number | string | undefined>;

/** A trained fit model (see trainFitModel): predicts, exposes latent sizes, saves itself. */
export class FitModel {
  readonly algorithm = FIT_ALGORITHM;
  /** built on the first predictItems; valid for the model's life because parts never change after training or loading */
  private serving?: FitServingPredictor;
  constructor(readonly parts: FitModelParts) {}

  /** The model's index of a member (by id or index), −1 when never seen. */
  userIndexOf(user: number | string): number {
    if (typeof user === 'number') return user >= 0 && user < this.parts.vocab.userIds.length ? user : -1;
    return this.parts.vocab.userIndex.get(user) ?? -1;
  }

  /** P(small), P(fit), P(large) of `user` in `itemId` in `size` (a label like "US 8" or a number). */
  predict(user: number | string, itemId: string, size: number | string, features?: FitFeatureValues): FitProbabilities {
    const { small, fit, large } = this.predictItemInSize(user, itemId, [size], features)[0];
    return { small, fit, large };
  }

  /** The fit of one item in each of `sizes` for a member (the best size has the highest `fit`). */
  predictItemInSize(
    user: number | string, itemId: string, sizes: ReadonlyArray<number | string>, features?: FitFeatureValues,
  ): Array<FitProbabilities & { size: number | string }> {
    const u = this.userIndexOf(user);
    const i = this.parts.vocab.itemIndex.get(itemId) ?? -1;
    const n = sizes.length;
    const columns = this.parts.vocab.columns.map((schema, c): FitColumn => {
      const given = features?.[schema.name];
      const stored = schema.scope === 'member' && u >= 0 ? this.parts.memberValues[c][u]
        : schema.scope === 'item' && i >= 0 ? this.parts.itemValues[c][i] : Number.NaN;
      if (schema.kind === 'numeric') {
        const v = typeof given === 'number' ? given : typeof given === 'string' ? Number(given) : stored;
        return { kind: 'numeric', name: schema.name, scope: schema.scope, values: new Float64Array(n).fill(v) };
      }
      const code = given === undefined ? (Number.isNaN(stored) ? -1 : stored) : schema.labels.indexOf(String(given));
      return { kind: 'categorical', name: schema.name, scope: schema.scope, codes: new Int32Array(n).fill(code), labels: schema.labels };
    });
    const query: FitData = {
      userIds: this.parts.vocab.userIds, itemIds: this.parts.vocab.itemIds,
      users: new Int32Array(n).fill(u), items: new Int32Array(n).fill(i),
      sizes: Float64Array.from(sizes, (s) => normaliseSize(s)), labels: new Int8Array(n), columns,
    };
    const probs = this.predictRows(query);
    return sizes.map((size, k) => ({ size, small: probs[k * 3], fit: probs[k * 3 + 1], large: probs[k * 3 + 2] }));
  }

  /**
   * P(small/fit/large) of one member in each of `itemIds` in one size, row-major n × 3: the serving
   * shape (a page's items). Goes through FitServingPredictor (serving-predictor.ts: member features
   * once per call, owner indexes instead of composite-key lookups, a closure-free forest walk), built
   * on the first call; its results equal `predictItemsByRows` bit for bit. `features` override the
   * member's columns (a profile's body for a member the model never saw: fitFeaturesOf).
   */
  predictItems(user: number | string, itemIds: readonly string[], size: number | string, features?: FitFeatureValues): Float64Array {
    this.serving ??= new FitServingPredictor(this.parts);
    const s = normaliseSize(size);
    // a model whose features are not the ones the serving predictor lays out takes the generic path
    if (this.serving.width !== this.parts.forest.nFeatures) return this.predictItemsByRows(user, itemIds, size, features);
    return this.serving.predict(this.userIndexOf(user), itemIds, s, features);
  }

  /**
   * Builds the serving predictor and runs it on a few pages of the catalogue, so that the first real
   * pages after a load do not pay for building it and for the engine optimising the compiled forest
   * (RTR-size model: ~0.2 s here, against 5–50 ms on each of the first pages otherwise).
   */
  warmServing(pages = 20): void {
    const { userIds, itemIds } = this.parts.vocab;
    for (let p = 0; p < pages && itemIds.length > 0; p++) {
      const from = (p * 128) % itemIds.length;
      this.predictItems(userIds.length > 0 ? p % userIds.length : -1, itemIds.slice(from, from + 128), 4 + 2 * (p % 5));
    }
  }

  /** The same through the generic `predictRows` path (one FitData for the batch): the reference. */
  predictItemsByRows(user: number | string, itemIds: readonly string[], size: number | string, features?: FitFeatureValues): Float64Array {
    const u = this.userIndexOf(user);
    const n = itemIds.length;
    const items = Int32Array.from(itemIds, (id) => this.parts.vocab.itemIndex.get(id) ?? -1);
    const columns = this.parts.vocab.columns.map((schema, c): FitColumn => {
      const given = schema.scope === 'item' ? undefined : features?.[schema.name];
      const stored = (k: number): number => schema.scope === 'member' ? (u >= 0 ? this.parts.memberValues[c][u] : Number.NaN)
        : schema.scope === 'item' && items[k] >= 0 ? this.parts.itemValues[c][items[k]] : Number.NaN;
      if (schema.kind === 'numeric') {
        const value = (k: number): number => (typeof given === 'number' ? given : typeof given === 'string' ? Number(given) : stored(k));
        return { kind: 'numeric', name: schema.name, scope: schema.scope, values: Float64Array.from({ length: n }, (_, k) => value(k)) };
      }
      const givenCode = given === undefined ? undefined : schema.labels.indexOf(String(given));
      const codes = Int32Array.from({ length: n }, (_, k) => { const v = givenCode ?? stored(k); return Number.isNaN(v) ? -1 : v; });
      return { kind: 'categorical', name: schema.name, scope: schema.scope, codes, labels: schema.labels };
    });
    return this.predictRows({
      userIds: this.parts.vocab.userIds, itemIds: this.parts.vocab.itemIds, users: new Int32Array(n).fill(u), items,
      sizes: new Float64Array(n).fill(normaliseSize(size)), labels: new Int8Array(n), columns,
    });
  }

  /** Row-major n × 3 probabilities for every row of `query` (its labels are ignored). */
  predictRows(query: FitData): Float64Array {
    const aligned = alignFitData(query, this.parts.vocab);
    const columns = fitFeatureColumns(this.parts.tables, aligned, this.parts.params.smoothing);
    return predictForest(this.parts.forest, columns);
  }

  /**
   * The member's latent true size in size steps (anchor + shift / scale), NaN when the model never saw
   * them rent. Meaningful as a size when the learned scale is positive (bigger size → feels larger).
   */
  memberSize(user: number | string): number {
    const u = this.userIndexOf(user);
    const { latent } = this.parts.tables;
    if (u < 0 || latent.userAnchor.length === 0 || this.parts.tables.user.count[u] === 0) return Number.NaN;
    return latent.userAnchor[u] + latent.userShift[u] / latent.link[0];
  }

  /** How much an item runs large (+) or small (−), in size steps (offset / scale; 0 when never seen). */
  itemOffset(itemId: string): number {
    const i = this.parts.vocab.itemIndex.get(itemId) ?? -1;
    const { latent } = this.parts.tables;
    return i < 0 ? 0 : latent.itemOffset[i] / latent.link[0];
  }

  /** Writes the artifact (manifest + typed-array payloads) into `dir`. */
  async save(dir: string): Promise<void> {
    const { draft, payloads } = encodeFitModel(this.parts);
    await saveArtifact(dir, draft, payloads);
  }

  /** Reads a model written by `save`; VITRINE_MODEL_ARTIFACT_* when it is of another version or corrupt. */
  static async load(dir: string): Promise<FitModel> {
    return new FitModel(decodeFitModel(await loadArtifact(dir, FIT_ALGORITHM, FIT_FORMAT_VERSION)));
  }
}

/** The last value of each member-scope column per member and each item-scope column per item. */
export function memberAndItemValues(data: FitData): { memberValues: Float64Array[]; itemValues: Float64Array[] } {
  const nU = data.userIds.length;
  const nI = data.itemIds.length;
  const memberValues = data.columns.map((c) => new Float64Array(c.scope === 'member' ? nU : 0).fill(Number.NaN));
  const itemValues = data.columns.map((c) => new Float64Array(c.scope === 'item' ? nI : 0).fill(Number.NaN));
  data.columns.forEach((c, j) => {
    if (c.scope === 'rental') return;
    const owner = c.scope === 'member' ? data.users : data.items;
    const out = c.scope === 'member' ? memberValues[j] : itemValues[j];
    for (let k = 0; k < data.labels.length; k++) {
      const v = c.kind === 'numeric' ? c.values[k] : c.codes[k] >= 0 ? c.codes[k] : Number.NaN;
      if (!Number.isNaN(v)) out[owner[k]] = v;
    }
  });
  return { memberValues, itemValues };
}
