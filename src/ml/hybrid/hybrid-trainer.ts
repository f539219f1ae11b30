/**
 * Trainer `hybrid` (the engine's best ranker): (1) inner splits of the training data — global time
 * folds and a member-time fold — give labelled candidate rows (training-set.ts); (2) boosted trees
 * learn to rank them (boosted-ranker.ts); (3) on held-out inner members the trees meet each component
 * ranking alone, and the best ranks (guard.ts: the hybrid never loses to its parts); (4) statistics,
 * profiles and component models are rebuilt from all of train, as of the training clock, for serving,
 * with the rows to recompute the statistics at the time a question is asked (item-timeline.ts). Only rows before the clock are ever read (see trainingClock): a `ctx.now`
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
import { splitCounts } from './boosted-ranker.ts';
import { Components } from './components.ts';
import { FEATURE_NAMES, featureIndexes, N_FEATURES } from './features.ts';
import { HYBRID_FORMAT_VERSION, HybridModel, type HybridRanker } from './hybrid-model.ts';
import { ItemStats } from './item-stats.ts';
import { ItemTimeline } from './item-timeline.ts';
import { MemberProfiles } from './member-profiles.ts';
import { HYBRID_DEFAULTS, resolveHybridParams, type HybridParams } from './params.ts';
import { learnRanking } from './learned-ranking.ts';
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
  const splits = p.folds + (p.memberTimeMembers > 0 ? 1 : 0);
  const sets = await buildTrainingSets(data, input.items, scale, asOf, p, dropped.indexes, (fold, label) => progress((0.4 * fold) / splits, label));
  const step = (from: number, width: number) => (fraction: number, label: string): void => progress(from + width * fraction, label);
  const learnerStarted = performance.now();
  const current = sets?.global ? learnRanking(sets.global, p, 'questions at or after the training clock', step(0.4, 0.2)) : undefined;
  const past = sets?.memberTime
    ? learnRanking(sets.memberTime, p, 'questions before it (each member at their own time)', step(0.6, 0.2), current?.forest)
    : undefined;
  // the learner's share of training, bags included (bagged-ranker.ts: its cost grows with `bags`)
  const learnerSeconds = (performance.now() - learnerStarted) / 1000;
  const currentRanker: HybridRanker = current
    ? { forest: current.forest, ranking: current.ranking, ...(current.blend ? { blend: current.blend } : {}) }
    : { forest: emptyForest(), ranking: 'size-popularity' };
  progress(0.8, 'serving state');
  const timeline = ItemTimeline.of(data, input.items, scale);
  const stats = ItemStats.compute(timeline, { asOf, recentDays: p.recentDays, halfLifeDays: p.halfLifeDays });
  const profiles = MemberProfiles.compute(data, scale, asOf);
  const components = await Components.train(data, input.items, stats, p, p.seed);
  const state = new RankingState(stats, profiles, components, p, p.recentDays, dropped.indexes);
  progress(1, 'done');

  const importance = splitCounts(currentRanker.forest);
  const manifest = trainingManifest('hybrid', HYBRID_FORMAT_VERSION, p, data, {
    asOf,
    components: components.names,
    learner: current ? p.objective : 'fallback (size-band + recent popularity: too little data for the inner split)',
    // how questions at or after the clock (current) and before it (past: user-time) are ranked, and why
    ranking: currentRanker.ranking,
    pastRanking: past?.ranking ?? null,
    // the component and weight of a 'blend' ranking (rank-blend.ts)
    blend: currentRanker.blend ?? null,
    pastBlend: past?.blend ?? null,
    guard: { current: current?.verdict ?? null, past: past?.verdict ?? null },
    memberTimeQueries: sets?.memberTimeQueries ?? 0,
    rounds: current?.rounds ?? 0,
    pastRounds: past?.rounds ?? 0,
    validationNdcg: current?.validationNdcg ?? null,
    innerCutoff: sets?.cutoff ?? null,
    labelDays: sets?.labelDays ?? null,
    labelledMembers: sets?.labelledMembers ?? 0,
    queries: sets?.queries ?? 0,
    candidateRecall: sets?.candidateRecall ?? null,
    splitsPerFeature: Object.fromEntries(FEATURE_NAMES.map((n, j) => [n, importance[j]]).filter(([, c]) => (c as number) > 0)),
    learnerSeconds,
    trainSeconds: (performance.now() - started) / 1000,
  });
  const rankers = { current: currentRanker, ...(past ? { past: { forest: past.forest, ranking: past.ranking, ...(past.blend ? { blend: past.blend } : {}) } } : {}) };
  return new HybridModel(manifest, data.itemIds, state, rankers, timeline);
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
