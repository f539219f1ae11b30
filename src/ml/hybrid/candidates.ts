/**
 * Candidate generation: the few hundred items worth scoring for a member, as the union of the top
 * items of cheap sources — recent popularity, recent popularity in the member's size band, each
 * component model's scores, and recent popularity within the categories the member rents. Items the
 * member already has and items nobody rented before the clock are never candidates.
 */
import { topN } from '../common/top-n.ts';
import type { ComponentScores } from './components.ts';
import type { ItemStats } from './item-stats.ts';
import type { MemberState } from './member-profiles.ts';
import type { HybridParams } from './params.ts';
import { sizeBandSum } from './size-scale.ts';

export type CandidateCounts = Pick<HybridParams, 'popularCandidates' | 'sizeCandidates' | 'componentCandidates' | 'categoryCandidates'>;

/** Rentals of the member per category code. */
export function memberCategoryCounts(member: MemberState, stats: ItemStats): Float32Array {
  const counts = new Float32Array(stats.categoryLabels.length);
  for (const i of member.items) counts[stats.category[i]]++;
  return counts;
}

/** 1 for items that may not be candidates: the member's own and those not rented before the clock. */
export function blockedItems(member: MemberState, stats: ItemStats): Uint8Array {
  const blocked = new Uint8Array(stats.nItems);
  for (let i = 0; i < stats.nItems; i++) if (!stats.known(i)) blocked[i] = 1;
  for (const i of member.items) blocked[i] = 1;
  return blocked;
}

/** The member's candidate items, ascending indexes. */
export function candidatesFor(
  member: MemberState, stats: ItemStats, components: ComponentScores, counts: CandidateCounts, blocked: Uint8Array,
): Int32Array {
  const n = stats.nItems;
  const tail = stats.columns.tailScore;
  const picked = new Uint8Array(n);
  const take = (scores: Float32Array, k: number): void => {
    if (k <= 0) return;
    for (const i of topN(scores, k, blocked)) picked[i] = 1;
  };
  take(tail, counts.popularCandidates);
  if (counts.sizeCandidates > 0 && !Number.isNaN(member.sizeRank)) {
    const inSize = new Float32Array(n);
    for (let i = 0; i < n; i++) inSize[i] = sizeBandSum(stats.sizeRecent, i * stats.nRanks, stats.nRanks, member.sizeRank) + 1e-3 * tail[i];
    take(inSize, counts.sizeCandidates);
  }
  for (const scores of Object.values(components)) take(scores, counts.componentCandidates);
  if (counts.categoryCandidates > 0 && member.items.length > 0) {
    const byCategory = memberCategoryCounts(member, stats);
    const inCategory = new Float32Array(n);
    for (let i = 0; i < n; i++) inCategory[i] = byCategory[stats.category[i]] > 0 ? byCategory[stats.category[i]] * (1 + tail[i]) : Number.NaN;
    take(inCategory, counts.categoryCandidates);
  }
  let m = 0;
  for (let i = 0; i < n; i++) m += picked[i];
  const out = new Int32Array(m);
  for (let i = 0, j = 0; i < n; i++) if (picked[i]) out[j++] = i;
  return out;
}
