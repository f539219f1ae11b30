/** Trainers `popularity` (distinct members, all time) and `popularity-recent` (interactions, last 90 days). */
import { loadArtifact, type ArtifactLoadOptions } from '../artifact.ts';
import { CEILING, nonNegative, oneOf, positiveUpTo, resolveParams } from '../common/params.ts';
import { assertInteractions, dataRange, throwIfAborted, trainingManifest } from '../common/train-input.ts';
import type { Model, Trainer, TrainContext, TrainInput } from '../model.ts';
import { POPULARITY_FORMAT_VERSION, PopularityModel } from './popularity-model.ts';
import { groupedPopularity, interactionWeights, segmentKeys, type PopularityParams } from './popularity-scores.ts';
import { PopularityTimeline } from './popularity-timeline.ts';

const RULES = {
  mode: oneOf('all', 'decayed', 'window'),
  count: oneOf('users', 'interactions'),
  halfLifeDays: positiveUpTo(CEILING.days),
  windowDays: positiveUpTo(CEILING.days),
  minWeight: nonNegative,
  segmentBy: oneOf('none', 'size', 'occasion', 'category'),
  clock: oneOf('query', 'train'),
};

/** A popularity trainer registered under `algorithm` with its own defaults. */
export function createPopularityTrainer(algorithm: string, defaults: PopularityParams): Trainer<PopularityParams> {
  return {
    algorithm,
    defaults,
    resolveParams: (given) => resolveParams(algorithm, defaults, given, RULES),
    async train(input: TrainInput, params?: Partial<PopularityParams>, ctx: TrainContext = {}): Promise<Model> {
      const p = resolveParams(algorithm, defaults, params, RULES);
      const data = input.interactions;
      assertInteractions(algorithm, data);
      throwIfAborted(algorithm, ctx.signal);
      const end = ctx.now ?? dataRange(data).dataTo ?? 0;
      const weights = interactionWeights(data, p, end);
      const scores = groupedPopularity(data, weights, p.count, undefined, 1);
      const segments = segmentKeys(data, input.items, p.segmentBy);
      const segmentScores = segments
        ? groupedPopularity(data, weights, p.count, segments.keys, segments.labels.length)
        : new Float32Array(0);
      ctx.onProgress?.(1, 'scored');
      const manifest = trainingManifest(algorithm, POPULARITY_FORMAT_VERSION, p, data, { end });
      // all-time counts do not depend on the clock; a window or a decay is recounted at each asOf
      const timeline = p.mode !== 'all' && p.clock === 'query' ? PopularityTimeline.fromInteractions(data, p.minWeight, p.count === 'users') : undefined;
      return new PopularityModel(algorithm, manifest, data.itemIds, scores, segmentScores, segments?.labels ?? [], {}, timeline);
    },
    async load(dir: string, opts?: ArtifactLoadOptions): Promise<Model> {
      return PopularityModel.fromArtifact(await loadArtifact(dir, algorithm, POPULARITY_FORMAT_VERSION, opts));
    },
  };
}

/** EVALUATION.md `popularity`: distinct train members of the item, all time. */
export const popularityTrainer = createPopularityTrainer('popularity', {
  mode: 'all', count: 'users', halfLifeDays: 30, windowDays: 90, minWeight: 0, segmentBy: 'none', clock: 'query',
});

/**
 * `popularity-recent` ("trending"): interactions in the 90 days before the time the question is asked
 * (`asOf`; default the end of train). EVALUATION.md's reference row, "the last 90 days before the end
 * of train", is `clock: 'train'` (what `evaluate` pins).
 */
export const popularityRecentTrainer = createPopularityTrainer('popularity-recent', {
  mode: 'window', count: 'interactions', halfLifeDays: 30, windowDays: 90, minWeight: 0, segmentBy: 'none', clock: 'query',
});
