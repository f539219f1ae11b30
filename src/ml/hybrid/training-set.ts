/**
 * The learner's labelled rows, from inner splits of the training data only, of both protocol shapes
 * (EVALUATION.md), so that the learner sees questions asked the way they will be:
 * - global folds: the last `labelDays` before the clock (fewer when the history is short: all folds'
 *   windows take at most 40% of it) are the label window; statistics, profiles and component models
 *   are built from what precedes it (as of the inner cutoff), exactly as serving builds them from all
 *   of train. A member is a query when they were active before the cutoff and rented, in the window, an
 *   item that existed before it and is new to them (EVALUATION.md's "relevant");
 * - a member-time fold (member-time-fold.ts): members' own last items held out, each asked at their
 *   own last time, as under `user-time`.
 * A query's candidates are the rows; those rented in the window are the positives (ranking-rows.ts
 * says which members train, stop early or judge the learner against its components).
 */
import { DAY_MS } from '../../core/time.ts';
import { seededUniform } from '../common/rng.ts';
import type { InteractionData, ItemFeatures } from '../dataset.ts';
import { shuffleInPlace } from '../fit/seeded-random.ts';
import { Components } from './components.ts';
import { ItemStats } from './item-stats.ts';
import { ItemTimeline } from './item-timeline.ts';
import type { LearnerSets } from './learned-ranking.ts';
import { memberTimeFold } from './member-time-fold.ts';
import { MemberProfiles } from './member-profiles.ts';
import type { HybridParams } from './params.ts';
import { assignRoles, collectMember, emptySplitRows, type SplitRows } from './ranking-rows.ts';
import { RankingState } from './ranking-state.ts';
import type { SizeScale } from './size-scale.ts';
import { rowsBefore } from './time-slice.ts';

/** the label windows of all folds together cover at most this share of the data's time span */
const MAX_LABEL_SHARE = 0.4;

export interface TrainingSets {
  /** rows of the global folds (members asked at a common clock); undefined when none is labelled */
  global?: LearnerSets;
  /** rows of the member-time fold (each member asked at their own last time) */
  memberTime?: LearnerSets;
  /** epoch ms of the (latest) inner cutoff */
  cutoff: number;
  /** the label window used: labelDays, shortened for a short history */
  labelDays: number;
  /** labelled members (with a positive among their candidates) / all members with a relevant item */
  queries: number;
  labelledMembers: number;
  /** members of the member-time fold with a held-out item among their candidates (0 when off) */
  memberTimeQueries: number;
  /** share of relevant (member, item) pairs found among the candidates (all splits) */
  candidateRecall: number;
}

/**
 * The rows of `p.folds` inner splits stacked back in time (fold f's label window ends f·labelDays
 * before the clock) and of the member-time fold, or undefined when no split leaves a labelled member.
 */
export async function buildTrainingSets(
  data: InteractionData, items: ItemFeatures | undefined, scale: SizeScale, asOf: number, p: HybridParams, dropped: readonly number[],
  onFold?: (fold: number, label: string) => void,
): Promise<TrainingSets | undefined> {
  let first = asOf;
  for (const t of data.ts) if (t < first) first = t;
  const labelDays = Math.min(p.labelDays, (MAX_LABEL_SHARE * (asOf - first)) / DAY_MS / p.folds);
  const timeline = ItemTimeline.of(data, items, scale);
  const out = emptySplitRows();
  const pastOut = emptySplitRows();
  let cutoff: number | undefined;
  let labelledMembers = 0;
  for (let f = 0; f < p.folds; f++) {
    onFold?.(f, `labelled rows, inner split ${f + 1}/${p.folds}`);
    const fold = await globalFold(data, items, scale, timeline, asOf - f * labelDays * DAY_MS, labelDays, p, dropped, p.seed + f, out);
    if (fold === undefined) continue;
    cutoff ??= fold.cutoff;
    labelledMembers += fold.labelledMembers;
  }
  if (p.memberTimeMembers > 0) {
    onFold?.(p.folds, 'labelled rows, member-time split');
    labelledMembers += await memberTimeFold(data, items, scale, asOf, p, dropped, p.seed + p.folds, pastOut);
  }
  const global = learnerSets(out);
  const memberTime = learnerSets(pastOut);
  if (!global && !memberTime) return undefined;
  const queriesOf = (r: SplitRows): number => r.train.queries + r.valid.queries + r.guard.queries;
  return {
    global, memberTime, cutoff: cutoff ?? asOf, labelDays, queries: queriesOf(out) + queriesOf(pastOut), labelledMembers,
    memberTimeQueries: queriesOf(pastOut),
    candidateRecall: out.relevant + pastOut.relevant > 0 ? (out.found + pastOut.found) / (out.relevant + pastOut.relevant) : 0,
  };
}

/** The collected rows as a learner's sets; undefined without training rows. */
function learnerSets(rows: SplitRows): LearnerSets | undefined {
  const train = rows.train.build();
  return train && { train, valid: rows.valid.build(), guard: rows.guard.build(), guardTrain: rows.guardTrain.build() };
}

/** One global inner split whose label window ends at `end`; adds its rows to `out`. */
async function globalFold(
  data: InteractionData, items: ItemFeatures | undefined, scale: SizeScale, timeline: ItemTimeline, end: number, labelDays: number,
  p: HybridParams, dropped: readonly number[], seed: number, out: SplitRows,
): Promise<{ cutoff: number; labelledMembers: number } | undefined> {
  const cutoff = end - labelDays * DAY_MS;
  const prior = rowsBefore(data, cutoff);
  if (prior.users.length === 0) return undefined;
  const stats = ItemStats.compute(timeline, { asOf: cutoff, recentDays: p.recentDays, halfLifeDays: p.halfLifeDays });
  const profiles = MemberProfiles.compute(prior, scale, cutoff);
  const positives = labelWindowPositives(data, profiles, stats, cutoff, end);
  if (positives.size === 0) return undefined;
  const components = await Components.train(prior, items, stats, p, seed);
  const state = new RankingState(stats, profiles, components, p, p.recentDays, dropped);

  const random = seededUniform(seed);
  const members = shuffleInPlace(Int32Array.from([...positives.keys()].sort((a, b) => a - b)), random);
  const roles = assignRoles(members.length, p);
  members.forEach((u, j) => {
    const labelled = { userId: data.userIds[u], member: profiles.stateOf(u), state, positives: positives.get(u) as Set<number> };
    collectMember(labelled, roles[j], p.negativesPerMember, random, out);
  });
  return { cutoff, labelledMembers: positives.size };
}

/** Per member active before `cutoff`: items rented in [cutoff, asOf) that existed before the cutoff and are new to them. */
function labelWindowPositives(data: InteractionData, profiles: MemberProfiles, stats: ItemStats, cutoff: number, asOf: number): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  const { indptr } = profiles.history.rows;
  for (let k = 0; k < data.users.length; k++) {
    const t = data.ts[k];
    if (t < cutoff || !(t < asOf)) continue;
    const u = data.users[k];
    const i = data.items[k];
    if (indptr[u + 1] === indptr[u] || !stats.known(i) || hasItem(profiles, u, i)) continue;
    let set = out.get(u);
    if (!set) out.set(u, (set = new Set()));
    set.add(i);
  }
  return out;
}

function hasItem(profiles: MemberProfiles, u: number, i: number): boolean {
  const { indptr, indices } = profiles.history.rows;
  let lo = indptr[u];
  let hi = indptr[u + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (indices[mid] === i) return true;
    if (indices[mid] < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
