/**
 * The hybrid's component models, trained through their own trainers and queried through the public
 * Model API: item-kNN and (optionally) ALS and content on the whole catalogue, EASE on its most
 * popular `easeItems` items (EASE costs items³; the long tail rarely reaches a top 10 here). Each
 * saves as its own artifact in a subdirectory of the hybrid's.
 */
import { join } from 'node:path';
import { VitrineError } from '../../core/errors.ts';
import { alsTrainer } from '../als/als-trainer.ts';
import { contentTrainer } from '../content/content-trainer.ts';
import type { ArtifactLoadOptions } from '../artifact.ts';
import type { InteractionData, ItemFeatures } from '../dataset.ts';
import { easeTrainer } from '../ease/ease.ts';
import { itemKnnTrainer } from '../item-knn/item-knn.ts';
import type { Model, Trainer, UserQuery } from '../model.ts';
import type { ItemStats } from './item-stats.ts';
import type { HybridParams } from './params.ts';
import { rowsOfItems } from './time-slice.ts';

export const COMPONENT_NAMES = ['knn', 'ease', 'als', 'content'] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];

const TRAINERS: Record<ComponentName, Trainer> = {
  knn: itemKnnTrainer as Trainer, ease: easeTrainer as Trainer, als: alsTrainer as Trainer, content: contentTrainer as Trainer,
};

/** One member's component scores over all items (NaN where a component does not score an item). */
export type ComponentScores = Partial<Record<ComponentName, Float32Array>>;

export class Components {
  private readonly subsetIds: Map<ComponentName, string[]>;

  constructor(
    readonly itemIds: readonly string[],
    readonly models: Partial<Record<ComponentName, Model>>,
    /** the item indexes a component was trained on, when not the whole catalogue (EASE) */
    readonly subsets: Partial<Record<ComponentName, Int32Array>>,
  ) {
    this.subsetIds = new Map(Object.entries(subsets).map(([name, items]) => [name as ComponentName, Array.from(items, (i) => itemIds[i])]));
  }

  /** Trains the components `p` switches on, on `data` (rows already cut at the clock). */
  static async train(data: InteractionData, items: ItemFeatures | undefined, stats: ItemStats, p: HybridParams, seed: number): Promise<Components> {
    const models: Partial<Record<ComponentName, Model>> = {};
    const subsets: Partial<Record<ComponentName, Int32Array>> = {};
    if (data.users.length === 0) return new Components(data.itemIds, models, subsets);
    if (p.knnNeighbours > 0) models.knn = await itemKnnTrainer.train({ interactions: data }, { k: p.knnNeighbours });
    if (p.easeItems > 0) {
      const top = popularItems(stats, p.easeItems);
      if (top.length >= 2) {
        models.ease = await easeTrainer.train({ interactions: rowsOfItems(data, top) }, { lambda: p.easeLambda });
        subsets.ease = top;
      }
    }
    if (p.alsFactors > 0) {
      models.als = await alsTrainer.train({ interactions: data }, { factors: p.alsFactors, iterations: p.alsIterations, seed });
    }
    if (p.content && items) models.content = await contentTrainer.train({ interactions: data, items });
    return new Components(data.itemIds, models, subsets);
  }

  /** Every component's scores for the member (a component that does not know them is left out). */
  scores(query: UserQuery): ComponentScores {
    const out: ComponentScores = {};
    for (const name of COMPONENT_NAMES) {
      const model = this.models[name];
      if (!model) continue;
      const ids = this.subsetIds.get(name);
      let scores: Float32Array;
      try {
        scores = model.score(query, ids ?? this.itemIds);
      } catch (err) {
        if (err instanceof VitrineError && err.code === 'VITRINE_MODEL_UNKNOWN_USER') continue;
        throw err;
      }
      const subset = this.subsets[name];
      if (subset) {
        const dense = new Float32Array(this.itemIds.length).fill(Number.NaN);
        subset.forEach((i, j) => (dense[i] = scores[j]));
        scores = dense;
      }
      out[name] = scores;
    }
    return out;
  }

  /** The names of the trained components. */
  get names(): ComponentName[] {
    return COMPONENT_NAMES.filter((n) => this.models[n] !== undefined);
  }

  /** Saves each component into `dir/<name>`. */
  async save(dir: string): Promise<void> {
    for (const name of this.names) await this.models[name]?.save(join(dir, name));
  }

  /** Loads the components `names` saved by `save`. */
  static async load(
    dir: string, itemIds: readonly string[], names: readonly string[], subsets: Partial<Record<ComponentName, Int32Array>>, opts?: ArtifactLoadOptions,
  ): Promise<Components> {
    const models: Partial<Record<ComponentName, Model>> = {};
    for (const name of names) {
      if (!(COMPONENT_NAMES as readonly string[]).includes(name)) {
        throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', `hybrid: unknown component "${name}" in the manifest`);
      }
      models[name as ComponentName] = await TRAINERS[name as ComponentName].load(join(dir, name), opts);
    }
    return new Components(itemIds, models, subsets);
  }
}

/**
 * `n` items for EASE, ascending indexes: half the most rented in the last year (all-time rentals break
 * ties), the rest the most rented of all time — members asked about an earlier time (user-time) rent
 * what was popular then, which last year's list would leave out.
 */
function popularItems(stats: ItemStats, n: number): Int32Array {
  const { pop365, popAll } = stats.columns;
  const rented = Int32Array.from({ length: stats.nItems }, (_, i) => i).filter((i) => popAll[i] > 0);
  const lastYear = rented.slice().sort((a, b) => pop365[b] - pop365[a] || popAll[b] - popAll[a] || a - b);
  const allTime = rented.slice().sort((a, b) => popAll[b] - popAll[a] || a - b);
  const picked = new Set(lastYear.subarray(0, Math.ceil(n / 2)));
  for (let r = 0; r < allTime.length && picked.size < Math.min(n, rented.length); r++) picked.add(allTime[r]);
  return Int32Array.from(picked).sort();
}
