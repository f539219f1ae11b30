/**
 * The member-time inner split: the shape of EVALUATION.md's `user-time` inside the training data.
 * Up to `memberTimeMembers` members with ≥ 5 distinct items (seeded sample) hold out their last
 * max(1, floor(0.2·n)) items; profiles and component models are built from everything else, and each
 * member is asked at their own last remaining time (item statistics at queryClock of it), as
 * `evaluate --protocol user-time` and serving ask. Without it the learner only ever sees members
 * asked at a common clock, and learns that "recently popular at the end of train" is what members
 * rent next — which is false for a member whose history ended years before (issue 21).
 */
import { seededUniform } from '../common/rng.ts';
import type { InteractionData, ItemFeatures } from '../dataset.ts';
import { shuffleInPlace } from '../fit/seeded-random.ts';
import { Components } from './components.ts';
import { ItemStats } from './item-stats.ts';
import { ItemTimeline } from './item-timeline.ts';
import { MemberProfiles } from './member-profiles.ts';
import type { HybridParams } from './params.ts';
import { queryClock } from './query-clock.ts';
import { assignRoles, collectMember, type SplitRows } from './ranking-rows.ts';
import { RankingState } from './ranking-state.ts';
import type { SizeScale } from './size-scale.ts';
import { keepRows } from './time-slice.ts';

/** EVALUATION.md's user-time: members with this many distinct items hold out the last 20% */
const MIN_ITEMS = 5;
const HELD_SHARE = 0.2;

/** Adds the member-time split's rows to `out`; returns its number of members with a held-out item. */
export async function memberTimeFold(
  data: InteractionData, items: ItemFeatures | undefined, scale: SizeScale, clock: number, p: HybridParams,
  dropped: readonly number[], seed: number, out: SplitRows,
): Promise<number> {
  const random = seededUniform(seed);
  const held = heldOutPairs(data, p.memberTimeMembers, random);
  if (held.size === 0) return 0;
  const nItems = data.itemIds.length;
  const inner = keepRows(data, (k) => !held.get(data.users[k])?.has(data.items[k]));
  if (inner.users.length === 0) return 0;
  const timeline = ItemTimeline.of(inner, items, scale);
  const stats = ItemStats.compute(timeline, { asOf: clock, recentDays: p.recentDays, halfLifeDays: p.halfLifeDays });
  const profiles = MemberProfiles.compute(inner, scale, clock);
  const components = await Components.train(inner, items, stats, p, seed);
  const base = new RankingState(stats, profiles, components, p, p.recentDays, dropped);

  // each member's positives: held-out items rented by someone in the inner data; asked at their last inner time
  const members: Array<{ u: number; at: number; positives: Set<number> }> = [];
  const lastTime = lastTimes(inner);
  for (const [u, pairs] of held) {
    const positives = new Set([...pairs].filter((i) => i < nItems && stats.known(i)));
    if (positives.size > 0 && Number.isFinite(lastTime[u])) members.push({ u, at: queryClock(clock, lastTime[u]), positives });
  }
  // roles by a seeded order; then members are visited by clock, so that one clock's statistics are computed once
  const roles = assignRoles(members.length, p);
  const roleOf = new Array<(typeof roles)[number]>(members.length);
  shuffleInPlace(Int32Array.from(members.keys()), random).forEach((j, r) => (roleOf[j] = roles[r]));
  const order = Int32Array.from(members.keys()).sort((a, b) => members[a].at - members[b].at || a - b);
  let state = base;
  let stateAt = clock;
  for (const j of order) {
    const m = members[j];
    if (m.at !== stateAt) {
      state = m.at === clock ? base : base.at(timeline, m.at, p.halfLifeDays);
      stateAt = m.at;
    }
    collectMember({ userId: data.userIds[m.u], member: profiles.stateOf(m.u), state, positives: m.positives }, roleOf[j], p.negativesPerMember, random, out);
  }
  return members.length;
}

/**
 * Per sampled member (user index), the items they hold out: the last max(1, floor(0.2·n)) of their
 * n distinct items by first rental (time, then input order); members are a seeded sample of those with ≥ 5.
 */
function heldOutPairs(data: InteractionData, maxMembers: number, random: () => number): Map<number, Set<number>> {
  const order = Int32Array.from({ length: data.users.length }, (_, k) => k).sort((a, b) => data.ts[a] - data.ts[b] || a - b);
  const firstItems: number[][] = Array.from({ length: data.userIds.length }, () => []);
  const seen = new Set<number>();
  for (const k of order) {
    const key = data.users[k] * data.itemIds.length + data.items[k];
    if (seen.has(key)) continue;
    seen.add(key);
    firstItems[data.users[k]].push(data.items[k]);
  }
  const eligible = Int32Array.from(firstItems.keys()).filter((u) => firstItems[u].length >= MIN_ITEMS);
  const sampled = shuffleInPlace(eligible, random).slice(0, maxMembers).sort();
  const out = new Map<number, Set<number>>();
  for (const u of sampled) {
    const list = firstItems[u];
    const nHeld = Math.max(1, Math.floor(HELD_SHARE * list.length));
    out.set(u, new Set(list.slice(list.length - nHeld)));
  }
  return out;
}

/** Each member's last interaction time (−Infinity without one). */
function lastTimes(data: InteractionData): Float64Array {
  const last = new Float64Array(data.userIds.length).fill(-Infinity);
  for (let k = 0; k < data.users.length; k++) if (data.ts[k] > last[data.users[k]]) last[data.users[k]] = data.ts[k];
  return last;
}
