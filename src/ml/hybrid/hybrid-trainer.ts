/**
 * Trainer `hybrid` (the engine's best ranker): (1) an inner time split of the training data — the
 * last `labelDays` are labels, everything is computed as of the inner cutoff — gives labelled
 * candidate rows (training-set.ts); (2) boosted trees learn to rank them (boosted-ranker.ts);
 * (3) statistics, profiles and component models are rebuilt from all of train, as of the training
 * clock, for serving. Only rows before the clock are ever read (see trainingClock): a `ctx.now`
 * before the last interaction cuts the data there, and one far past it is pulled back to a day after
 * it (windows counted back from a clock with no data behind them would be empty).
 * In the spirit of the Rent the Runway finding (Misra, Wan & McAuley, RecSys 2018; EVALUATION.md):
 * recency and size dominate fashion rental, so both are features next to the collaborative scores.
 */
import { DAY_MS } from '../../core/time.ts';
import { VitrineError } from '../../core/errors.ts';
import type { ArtifactLoadOptions } from '../artifact.ts';
import { assertInteractions, dataRange, throwIfAborted, trainingManifest } from '../common/train-input.ts';
import type { Forest } from '../fit/gbdt/forest.ts';
import type { Model, Trainer, TrainContext, TrainInput } from '../model.ts';
import { splitCounts, trainRanker } from './boosted-ranker.ts';
import { Components } from './components.ts';
import { FEATURE_NAMES, featureIndexes, N_FEATURES } from './features.ts';
import { HYBRID_FORMAT_VERSION, HybridModel } from './hybrid-model.ts';
import { ItemStats } from './item-stats.ts';
import { MemberProfiles } from './member-profiles.ts';
import { HYBRID_DEFAULTS, resolveHybridParams, type HybridParams } from './params.ts';
import { RankingState } from './ranking-state.ts';
import { sizeScale } from './size-scale.ts';
import { rowsBefore } from './time-slice.ts';
import { buildTrainingSets } from './training-set.ts';

/**
 * The exclusive end of the rows trained on (rows with ts < it are read): ctx.now when it is past the
 * last interaction (global-time passes the cutoff), else just after it (user-time passes the last
 * train interaction, which belongs to train); never more than a day past the last interaction.
 */
export function trainingClock(dataTo: number, now: number | undefined): number {
  const clock = now ?? dataTo;
  const end = clock > dataTo ? clock : clock + 1;
  return Math.min(end, dataTo + DAY_MS);
}

/** Trains a hybrid model (see the file comment). */
export async function trainHybrid(input: TrainInput, params?: Partial<HybridParams>, ctx: TrainContext = {}): Promise<HybridModel> {
  // resolveHybridParams has refused unknown feature names
  const p = resolveHybridParams(params);
  const dropped = featureIndexes(p.dropFeatures);
  const all = input.interactions;
  assertInteractions('hybrid', all);
  const asOf = trainingClock(dataRange(all).dataTo ?? 0, ctx.now);
  const data = rowsBefore(all, asOf);
  if (data.users.length === 0) throw new VitrineError('VITRINE_MODEL_EMPTY_DATA', 'hybrid: no interaction before the training clock');
  const scale = sizeScale(data.sizeLabels);
  const started = performance.now();
  const progress = (fraction: number, label: string): void => {
    throwIfAborted('hybrid', ctx.signal);
    ctx.onProgress?.(fraction, label);
  };

  progress(0, 'inner split');
  const sets = await buildTrainingSets(data, input.items, scale, asOf, p, dropped.indexes, (fold) => progress((0.4 * fold) / p.folds, `labelled rows, inner split ${fold + 1}/${p.folds}`));
  progress(0.4, 'learner');
  const learned = sets ? trainRanker(sets.train, sets.valid, p, (round) => progress(0.4 + 0.4 * (round / p.rounds), 'learner')) : undefined;
  const forest = learned?.forest ?? emptyForest();
  progress(0.8, 'serving state');
  const stats = ItemStats.compute(data, input.items, scale, { asOf, recentDays: p.recentDays, halfLifeDays: p.halfLifeDays });
  const profiles = MemberProfiles.compute(data, scale, asOf);
  const components = await Components.train(data, input.items, stats, p, p.seed);
  const state = new RankingState(stats, profiles, components, p, p.recentDays, dropped.indexes);
  progress(1, 'done');

  const importance = splitCounts(forest);
  const manifest = trainingManifest('hybrid', HYBRID_FORMAT_VERSION, p, data, {
    asOf,
    components: components.names,
    learner: learned ? p.objective : 'fallback (size-band + recent popularity: too little data for the inner split)',
    rounds: learned?.rounds ?? 0,
    validationNdcg: learned?.validationNdcg ?? null,
    innerCutoff: sets?.cutoff ?? null,
    labelDays: sets?.labelDays ?? null,
    labelledMembers: sets?.labelledMembers ?? 0,
    queries: sets?.queries ?? 0,
    candidateRecall: sets?.candidateRecall ?? null,
    splitsPerFeature: Object.fromEntries(FEATURE_NAMES.map((n, j) => [n, importance[j]]).filter(([, c]) => (c as number) > 0)),
    trainSeconds: (performance.now() - started) / 1000,
  });
  return new HybridModel(manifest, data.itemIds, state, forest);
}

function emptyForest(): Forest {
  return {
    nClasses: 1, nFeatures: N_FEATURES, base: Float64Array.of(0), treeRoot: new Int32Array(0),
    nodeFeature: new Int32Array(0), nodeThreshold: new Float64Array(0), nodeNanLeft: new Uint8Array(0),
    nodeLeft: new Int32Array(0), nodeRight: new Int32Array(0), nodeValue: new Float64Array(0),
  };
}

export const hybridTrainer: Trainer<HybridParams> = {
  algorithm: 'hybrid',
  defaults: HYBRID_DEFAULTS,
  resolveParams: resolveHybridParams,
  train(input: TrainInput, params?: Partial<HybridParams>, ctx?: TrainContext): Promise<Model> {
    return trainHybrid(input, params, ctx);
  },
  load(dir: string, opts?: ArtifactLoadOptions): Promise<Model> {
    return HybridModel.load(dir, opts);
  },
};
