/**
 * Everything needed to turn a member into scored candidates at one clock: item statistics, member
 * profiles, the component models and the item-only feature table. Training builds them at the inner
 * clocks (to make labelled rows), serving at the end of train and at the time a question is asked
 * (`at`); all go through `candidateRows`, so a feature means the same in each.
 */
import type { UserQuery } from '../model.ts';
import { blockedItems, candidatesFor, type CandidateCounts } from './candidates.ts';
import type { Components } from './components.ts';
import { extractFeatures, ItemFeatureTable, N_FEATURES } from './features.ts';
import { ItemStats } from './item-stats.ts';
import type { ItemTimeline } from './item-timeline.ts';
import type { MemberProfiles, MemberState } from './member-profiles.ts';

export interface CandidateRows {
  /** candidate item indexes, ascending */
  candidates: Int32Array;
  /** row-major features, candidates.length × N_FEATURES */
  rows: Float32Array;
}

export class RankingState {
  readonly table: ItemFeatureTable;

  constructor(
    readonly stats: ItemStats,
    readonly profiles: MemberProfiles,
    readonly components: Components,
    readonly counts: CandidateCounts,
    readonly recentDays: number,
    /** feature indexes forced to NaN (ablations) */
    readonly dropped: readonly number[] = [],
    /**
     * the statistics at the training clock: an item rented by then may be a candidate even when it
     * was first rented after this state's clock (the member may still want it; its features say it is new)
     */
    readonly servable: ItemStats = stats,
  ) {
    this.table = new ItemFeatureTable(stats, recentDays);
  }

  /** The same members and components with item statistics recomputed from `timeline` at `clock`. */
  at(timeline: ItemTimeline, clock: number, halfLifeDays: number): RankingState {
    const stats = ItemStats.compute(timeline, { asOf: clock, recentDays: this.recentDays, halfLifeDays });
    return new RankingState(stats, this.profiles, this.components, this.counts, this.recentDays, this.dropped, this.servable);
  }

  /** The member's candidates and their features (`query` is what the component models are asked with). */
  candidateRows(query: UserQuery, member: MemberState): CandidateRows {
    const scores = this.components.scores(query);
    const candidates = candidatesFor(member, this.stats, scores, this.counts, blockedItems(member, this.servable));
    const rows = new Float32Array(candidates.length * N_FEATURES);
    extractFeatures(this.table, member, scores, candidates, rows);
    if (this.dropped.length > 0) {
      for (let k = 0; k < candidates.length; k++) for (const f of this.dropped) rows[k * N_FEATURES + f] = Number.NaN;
    }
    return { candidates, rows };
  }
}
