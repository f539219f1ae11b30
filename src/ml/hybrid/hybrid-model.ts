/**
 * The trained `hybrid` ranker: for a member, candidates from cheap sources are scored by the boosted
 * trees over FEATURE_NAMES; every other item follows below them in recent-popularity order, so the
 * ranking is complete for any n and `exclude` / `filter` can drop as many items as they like. Items
 * like an item (`similar`) come from item-kNN (else content), then recent popularity.
 */
import { join } from 'node:path';
import { VitrineError } from '../../core/errors.ts';
import { loadArtifact, payloadOf, stringsOf, type ArtifactLoadOptions, type Payloads } from '../artifact.ts';
import { ItemScoringModel } from '../common/item-scoring-model.ts';
import type { Forest } from '../fit/gbdt/forest.ts';
import type { ArtifactManifest, UserQuery } from '../model.ts';
import { scoreRows } from './boosted-ranker.ts';
import { Components, type ComponentName } from './components.ts';
import { FEATURE_NAMES, featureIndexes, N_FEATURES } from './features.ts';
import { forestFromPayloads, forestPayloads } from './forest-codec.ts';
import { ItemStats } from './item-stats.ts';
import { MemberProfiles } from './member-profiles.ts';
import { resolveHybridParams, type HybridParams } from './params.ts';
import { RankingState } from './ranking-state.ts';

export const HYBRID_FORMAT_VERSION = 1;
const COMPONENTS_DIR = 'components';
const FEATURE = Object.fromEntries(FEATURE_NAMES.map((n, j) => [n, j]));

export class HybridModel extends ItemScoringModel {
  constructor(manifest: ArtifactManifest, itemIds: readonly string[], readonly state: RankingState, readonly forest: Forest) {
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
    return new HybridModel(loaded.manifest, itemIds, state, forestFromPayloads(loaded, N_FEATURES));
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

  protected userScores(user: UserQuery): Float32Array {
    const key = queryKey(user);
    if (key !== undefined && this.last?.key === key) return this.last.scores;
    const scores = this.scoreMember(user);
    if (key !== undefined) this.last = { key, scores };
    return scores;
  }

  private scoreMember(user: UserQuery): Float32Array {
    const { profiles, stats } = this.state;
    const member = profiles.resolve(user, this.itemIndex, stats.asOfDay);
    const { candidates, rows } = this.state.candidateRows(user, member);
    const raw = this.forest.treeRoot.length > 0 ? scoreRows(this.forest, rows, candidates.length) : fallbackScores(rows, candidates.length);
    const scores = this.tailScores(raw);
    candidates.forEach((i, k) => (scores[i] = raw[k]));
    return scores;
  }

  protected itemScores(item: number): Float32Array {
    const { models } = this.state.components;
    const neighbours = (models.knn ?? models.content)?.similar(this.itemIds[item], this.itemIds.length) ?? [];
    const raw = Float64Array.from(neighbours, (r) => r.score);
    const scores = this.tailScores(raw);
    neighbours.forEach((r, k) => {
      const i = this.itemIndex.get(r.itemId);
      if (i !== undefined) scores[i] = raw[k];
    });
    return scores;
  }

  protected payloads(): Payloads {
    const out: Payloads = { ...this.state.stats.toPayloads(), ...this.state.profiles.toPayloads(), ...forestPayloads(this.forest) };
    const ease = this.state.components.subsets.ease;
    if (ease) out['ease.items'] = ease;
    return out;
  }

  /**
   * Every item below the lowest of `above`, in recent-popularity order (items nobody rented before the
   * clock last), so that the scores written over them for the scored items rank first.
   */
  private tailScores(above: Float64Array): Float32Array {
    let low = 0;
    for (const s of above) if (s < low) low = s;
    const tail = this.state.stats.columns.tailScore;
    let top = 0;
    for (const t of tail) if (t > top) top = t;
    const scores = new Float32Array(this.itemIds.length);
    for (let i = 0; i < scores.length; i++) scores[i] = Number.isNaN(tail[i]) ? low - 2 : low - 1 + tail[i] / (top + 1);
    return scores;
  }
}

/** Without a learned forest (too little data for the inner split): EVALUATION.md's size-band + recent popularity. */
function fallbackScores(rows: Float32Array, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const inSize = rows[k * N_FEATURES + FEATURE.sizePopRecent];
    out[k] = (Number.isNaN(inSize) ? 0 : inSize) + rows[k * N_FEATURES + FEATURE.popRecent];
  }
  return out;
}

/** Equal for queries that score the same; undefined for a vector (its contents could change under the same array). */
function queryKey(user: UserQuery): string | undefined {
  if ('userId' in user) return `u\u0000${user.userId}`;
  if ('vector' in user) return undefined;
  return `i\u0000${user.interactions.map((x) => `${x.itemId}\u0001${x.weight ?? ''}\u0001${x.ts ?? ''}`).join('\u0002')}`;
}
