/**
 * Each item's rentals on a weekly grid counted back from a clock (issue 21: time belongs to the
 * question), so that "what was rented in the weeks before this member was last active" can be read
 * for any member without a pass over the rows.
 */
import { DAY_MS } from '../../core/time.ts';
import { payloadOf, type LoadedArtifact, type Payloads } from '../artifact.ts';
import type { ItemTimeline } from './item-timeline.ts';

/** weeks of the grid at most (older rentals count in the last week): bounds nItems × weeks */
const MAX_WEEKS = 520;

export class ItemWindows {
  constructor(
    readonly nItems: number,
    readonly nWeeks: number,
    /** per item, rentals per week back from the clock: [i·nWeeks + b] = rentals b weeks before it */
    readonly weekly: Float32Array,
    /** over all items, cumulative: [b] = rentals in the latest b weeks */
    readonly weeklyTotal: Float64Array,
  ) {}

  /** The windows of the first `end` rows of `timeline` (those before the clock `asOfDay`, epoch days). */
  static compute(timeline: ItemTimeline, end: number, asOfDay: number): ItemWindows {
    const { nItems } = timeline;
    const oldest = end > 0 ? timeline.ts[0] / DAY_MS : asOfDay;
    const nWeeks = Math.max(1, Math.min(MAX_WEEKS, Math.floor((asOfDay - oldest) / 7) + 1));
    const weekly = new Float32Array(nItems * nWeeks);
    const weeklyTotal = new Float64Array(nWeeks + 1);
    for (let k = 0; k < end; k++) {
      const week = Math.min(nWeeks - 1, Math.floor((asOfDay - timeline.ts[k] / DAY_MS) / 7));
      weekly[timeline.items[k] * nWeeks + week]++;
      weeklyTotal[week + 1]++;
    }
    for (let b = 1; b <= nWeeks; b++) weeklyTotal[b] += weeklyTotal[b - 1];
    return new ItemWindows(nItems, nWeeks, weekly, weeklyTotal);
  }

  /** The first and last week (exclusive) of the `weeks` weeks before `day`, on a clock `asOfDay`'s grid. */
  weeksBefore(asOfDay: number, day: number, weeks: number): [number, number] {
    const from = Math.max(0, Math.min(this.nWeeks, Math.floor((asOfDay - day) / 7)));
    return [from, Math.min(this.nWeeks, from + weeks)];
  }

  /** Rentals of item `i` in weeks [from, to) back from the clock (a few weeks: summed, not cumulated per clock). */
  rentals(i: number, from: number, to: number): number {
    const at = i * this.nWeeks;
    let s = 0;
    for (let b = from; b < to; b++) s += this.weekly[at + b];
    return s;
  }

  /** The payloads `fromPayloads` reads back, names prefixed `windows.`. */
  toPayloads(): Payloads {
    return { 'windows.shape': Int32Array.of(this.nWeeks), 'windows.weekly': this.weekly, 'windows.weeklyTotal': this.weeklyTotal };
  }

  /** Rebuilds the windows saved by `toPayloads`. */
  static fromPayloads(loaded: LoadedArtifact, nItems: number): ItemWindows {
    const nWeeks = payloadOf(loaded, 'windows.shape', Int32Array, 1)[0];
    return new ItemWindows(
      nItems, nWeeks,
      payloadOf(loaded, 'windows.weekly', Float32Array, nItems * nWeeks),
      payloadOf(loaded, 'windows.weeklyTotal', Float64Array, nWeeks + 1),
    );
  }
}
