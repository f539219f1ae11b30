/**
 * The trained `hybrid` ranker: for a member, candidates from cheap sources are scored by the boosted
 * trees over FEATURE_NAMES (or by the component ranking the guard chose, guard.ts); every other item
 * follows below them in recent-popularity order, so the ranking is complete for any n and `exclude` /
 * `filter` can drop as many items as they like. Time features and candidates are computed at the
 * time the question is asked (`asOf`, on queryClock's day grid). Items like an item (`similar`) come
 * from item-kNN (else content), then recent popularity.
 */
import { join } from 'node:path';
import { VitrineError } from '../../core/errors.ts';
import { loadArtifact, payloadOf, stringsOf, type ArtifactLoadOptions, type LoadedArtifact, type Payloads } from '../artifact.ts';
import { ItemScoringModel } from '../common/item-scoring-model.ts';
import type { Forest } from '../fit/gbdt/forest.ts';
import type { ArtifactManifest, UserQuery } from '../model.ts';
import { scoreRows } from './boosted-ranker.ts';
import { Components, type ComponentName } from './components.ts';
import { featureIndexes, N_FEATURES } from './features.ts';
import { forestFromPayloads, forestPayloads } from './forest-codec.ts';
import { componentScores, isComponentRanking, isRanking, type Ranking } from './guard.ts';
import { ItemStats } from './item-stats.ts';
import { ItemTimeline } from './item-timeline.ts';
import { MemberProfiles } from './member-profiles.ts';
import { resolveHybridParams, type HybridParams } from './params.ts';
import { queryClock } from './query-clock.ts';
import { RankingState } from './ranking-state.ts';
import { blendInto, isBlend, type Blend } from './rank-blend.ts';

export const HYBRID_FORMAT_VERSION = 1;
const COMPONENTS_DIR = 'components';

/** A way of ranking candidates: a learned forest, one component alone, or a blend of both (guard.ts). */
export interface HybridRanker {
  forest: Forest;
  ranking: Ranking;
  /** with ranking 'blend': the component blended with the forest and its weight */
  blend?: Blend;
}

/** states at other clocks than training's kept at once (serving asks about one day; evaluation goes in time order) */
const STATES_KEPT = 4;

export class HybridModel extends ItemScoringModel {
  /** ranking states at other clocks than training's, oldest first */
  private readonly states = new Map<number, RankingState>();

  constructor(
    manifest: ArtifactManifest, itemIds: readonly string[], readonly state: RankingState,
    /** for questions asked at or after the training clock, and (when learned) before it (learned-ranking.ts) */
    readonly rankers: { current: HybridRanker; past?: HybridRanker },
    /** the train rows, to compute item statistics at the time asked; without it asOf is ignored (older artifacts) */
    readonly timeline: ItemTimeline | undefined,
  ) {
    super('hybrid', manifest, itemIds);
  }

  /** Reads a model written by `save` (its components from their subdirectories). */
  static async load(dir: string, opts?: ArtifactLoadOptions): Promise<HybridModel> {
    const loaded = await loadArtifact(dir, 'hybrid', HYBRID_FORMAT_VERSION, opts);
    const itemIds = stringsOf(loaded, 'itemIds');
    const p = resolveHybridParams(loaded.manifest.params as Partial<HybridParams>);
    const stats = ItemStats.fromPayloads(loaded);
    if (stats.nItems !== itemIds.length) throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', 'hybrid: item statistics do not match the item ids');
    const profiles = MemberProfiles.fromPayloads(loaded, itemIds.length);
    const names = loaded.manifest.extra?.components;
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
      throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', 'hybrid: the manifest does not list its components');
    }
    const subsets: Partial<Record<ComponentName, Int32Array>> = {};
    if (names.includes('ease')) subsets.ease = payloadOf(loaded, 'ease.items', Int32Array);
    const components = await Components.load(join(dir, COMPONENTS_DIR), itemIds, names as string[], subsets, opts);
    const state = new RankingState(stats, profiles, components, p, p.recentDays, featureIndexes(p.dropFeatures).indexes);
    const timeline = loaded.payloads['timeline.shape'] ? ItemTimeline.fromPayloads(loaded) : undefined;
    const extra = loaded.manifest.extra;
    const current = rankerFromPayloads(loaded, 'forest', extra?.ranking, extra?.blend);
    const past = loaded.payloads['pastForest.shape'] ? rankerFromPayloads(loaded, 'pastForest', extra?.pastRanking, extra?.pastBlend) : undefined;
    return new HybridModel(loaded.manifest, itemIds, state, past ? { current, past } : { current }, timeline);
  }

  override async save(dir: string): Promise<void> {
    await this.state.components.save(join(dir, COMPONENTS_DIR));
    await super.save(dir);
  }

  /**
   * The last member scored and their scores. A page asks the same member twice (for-you ranks,
   * for-occasion re-scores a few items), and each ask costs the whole candidate scoring (~40% of a
   * hybrid page, measured by the simulator); one entry is enough for that, and costs one score vector.
   */
  private last: { key: string; scores: Float32Array } | undefined;

  protected userScores(user: UserQuery, asOf?: number): Float32Array {
    const state = this.stateAt(asOf);
    const key = queryKey(user);
    const cacheKey = key === undefined ? undefined : `${state.stats.asOfDay}\u0003${key}`;
    if (cacheKey !== undefined && this.last?.key === cacheKey) return this.last.scores;
    const scores = this.scoreMember(user, state);
    if (cacheKey !== undefined) this.last = { key: cacheKey, scores };
    return scores;
  }

  /** The ranking state at the clock of a question asked at `asOf` (the trained one when within a day of training). */
  stateAt(asOf: number | undefined): RankingState {
    const trained = this.manifest.extra?.asOf;
    if (!this.timeline || typeof trained !== 'number') return this.state;
    const clock = queryClock(trained, asOf);
    if (clock === trained) return this.state;
    let state = this.states.get(clock);
    if (!state) {
      const p = resolveHybridParams(this.manifest.params as Partial<HybridParams>);
      state = this.state.at(this.timeline, clock, p.halfLifeDays);
      if (this.states.size >= STATES_KEPT) this.states.delete(this.states.keys().next().value as number);
      this.states.set(clock, state);
    }
    return state;
  }

  private scoreMember(user: UserQuery, state: RankingState): Float32Array {
    const member = state.profiles.resolve(user, this.itemIndex, state.stats.asOfDay, state.stats.columns.sizeMedian);
    const { candidates, rows } = state.candidateRows(user, member);
    const askedBefore = state !== this.state && state.stats.asOfDay < this.state.stats.asOfDay;
    const raw = rankCandidates((askedBefore ? this.rankers.past : undefined) ?? this.rankers.current, rows, candidates.length);
    const scores = this.tailScores(raw, state.stats.columns.tailScore);
    candidates.forEach((i, k) => {
      if (!Number.isNaN(raw[k])) scores[i] = raw[k];
    });
    return scores;
  }


  protected itemScores(item: number): Float32Array {
    const { models } = this.state.components;
    const neighbours = (models.knn ?? models.content)?.similar(this.itemIds[item], this.itemIds.length) ?? [];
    const raw = Float64Array.from(neighbours, (r) => r.score);
    const scores = this.tailScores(raw, this.state.stats.columns.tailScore);
    neighbours.forEach((r, k) => {
      const i = this.itemIndex.get(r.itemId);
      if (i !== undefined) scores[i] = raw[k];
    });
    return scores;
  }

  protected payloads(): Payloads {
    const { current, past } = this.rankers;
    const out: Payloads = {
      ...this.state.stats.toPayloads(), ...this.state.profiles.toPayloads(), ...forestPayloads(current.forest),
      ...(past ? forestPayloads(past.forest, 'pastForest') : {}), ...this.timeline?.toPayloads(),
    };
    const ease = this.state.components.subsets.ease;
    if (ease) out['ease.items'] = ease;
    return out;
  }

  /**
   * Every item below the lowest of `above`, in recent-popularity order (items nobody rented before the
   * clock last), so that the scores written over them for the scored items rank first.
   */
  private tailScores(above: Float64Array, tail: Float32Array): Float32Array {
    let low = 0;
    for (const s of above) if (s < low) low = s;
    let top = 0;
    for (const t of tail) if (t > top) top = t;
    const scores = new Float32Array(this.itemIds.length);
    for (let i = 0; i < scores.length; i++) scores[i] = Number.isNaN(tail[i]) ? low - 2 : low - 1 + tail[i] / (top + 1);
    return scores;
  }
}

/** Each candidate's score under `ranker` (NaN: a component that does not rank it; it stays in the tail). */
function rankCandidates(ranker: HybridRanker, rows: Float32Array, count: number): Float64Array {
  if (ranker.ranking === 'forest' || ranker.ranking === 'clock-forest') return scoreRows(ranker.forest, rows, count);
  if (ranker.ranking === 'blend') {
    const blend = ranker.blend as Blend;
    const out = new Float64Array(count);
    blendInto(scoreRows(ranker.forest, rows, count), componentScores(blend.component, rows, count), blend.weight, 0, count, out);
    return out;
  }
  return componentScores(ranker.ranking, rows, count);
}

/** A ranker saved under `prefix`; its ranking from the manifest (older artifacts: the forest when it has trees). */
function rankerFromPayloads(loaded: LoadedArtifact, prefix: string, ranking: unknown, blend: unknown): HybridRanker {
  const forest = forestFromPayloads(loaded, N_FEATURES, prefix);
  const chosen = ranking ?? (forest.treeRoot.length > 0 ? 'forest' : 'size-popularity');
  if (!isRanking(chosen)) throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', `hybrid: unknown ranking "${String(chosen)}" in the manifest`);
  if (chosen !== 'blend') return { forest, ranking: chosen };
  if (!isBlend(blend, isComponentRanking)) throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', 'hybrid: a blend ranking without a valid component and weight in the manifest');
  return { forest, ranking: chosen, blend: { component: blend.component, weight: blend.weight } };
}

/** Equal for queries that score the same; undefined for a vector (its contents could change under the same array). */
function queryKey(user: UserQuery): string | undefined {
  if ('userId' in user) return `u\u0000${user.userId}`;
  if ('vector' in user) return undefined;
  return `i\u0000${user.interactions.map((x) => `${x.itemId}\u0001${x.weight ?? ''}\u0001${x.ts ?? ''}`).join('\u0002')}`;
}
