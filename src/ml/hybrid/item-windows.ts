/**
 * The hybrid's short and member-relative windows of item rentals, as of a clock (issue 21: time
 * belongs to the question): rentals by size rank in the last 7, 14 and 30 days (the size band at the
 * pace of fashion, next to ItemStats' recentDays one), and each item's rentals on a weekly grid counted
 * back from the clock, so that "what was rented in the weeks before this member was last active" can
 * be read for any member without a pass over the rows.
 */
import { DAY_MS } from '../../core/time.ts';
import { payloadOf, type LoadedArtifact, type Payloads } from '../artifact.ts';
import type { ItemTimeline } from './item-timeline.ts';

/** the short size-band windows, days */
export const SIZE_WINDOWS = [7, 14, 30] as const;
/** weeks of the grid at most (older rentals count in the last week): bounds nItems × weeks */
const MAX_WEEKS = 520;

export class ItemWindows {
  constructor(
    readonly nItems: number,
    readonly nRanks: number,
    /** nItems × nRanks rentals by size rank in the last SIZE_WINDOWS[w] days, one array per window */
    readonly sizeShort: readonly Float32Array[],
    readonly nWeeks: number,
    /** per item, rentals per week back from the clock: [i·nWeeks + b] = rentals b weeks before it */
    readonly weekly: Float32Array,
    /** over all items, cumulative: [b] = rentals in the latest b weeks */
    readonly weeklyTotal: Float64Array,
  ) {}

  /** The windows of the first `end` rows of `timeline` (those before the clock `asOfDay`, epoch days). */
  static compute(timeline: ItemTimeline, end: number, asOfDay: number): ItemWindows {
    const { nItems, nRanks } = timeline;
    const [size7, size14, size30] = SIZE_WINDOWS.map(() => new Float32Array(nItems * nRanks));
    const oldest = end > 0 ? timeline.ts[0] / DAY_MS : asOfDay;
    const nWeeks = Math.max(1, Math.min(MAX_WEEKS, Math.floor((asOfDay - oldest) / 7) + 1));
    const weekly = new Float32Array(nItems * nWeeks);
    const weeklyTotal = new Float64Array(nWeeks + 1);
    for (let k = 0; k < end; k++) {
      const i = timeline.items[k];
      const age = asOfDay - timeline.ts[k] / DAY_MS;
      const week = Math.min(nWeeks - 1, Math.floor(age / 7));
      weekly[i * nWeeks + week]++;
      weeklyTotal[week + 1]++;
      const r = timeline.sizeRanks[k];
      if (r < 0 || age > 30) continue;
      size30[i * nRanks + r]++;
      if (age <= 14) size14[i * nRanks + r]++;
      if (age <= 7) size7[i * nRanks + r]++;
    }
    for (let b = 1; b <= nWeeks; b++) weeklyTotal[b] += weeklyTotal[b - 1];
    return new ItemWindows(nItems, nRanks, [size7, size14, size30], nWeeks, weekly, weeklyTotal);
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
    const out: Payloads = { 'windows.shape': Int32Array.of(this.nWeeks), 'windows.weekly': this.weekly, 'windows.weeklyTotal': this.weeklyTotal };
    SIZE_WINDOWS.forEach((days, w) => (out[`windows.size${days}`] = this.sizeShort[w]));
    return out;
  }

  /** Rebuilds the windows saved by `toPayloads`. */
  static fromPayloads(loaded: LoadedArtifact, nItems: number, nRanks: number): ItemWindows {
    const nWeeks = payloadOf(loaded, 'windows.shape', Int32Array, 1)[0];
    return new ItemWindows(
      nItems, nRanks,
      SIZE_WINDOWS.map((days) => payloadOf(loaded, `windows.size${days}`, Float32Array, nItems * nRanks)),
      nWeeks,
      payloadOf(loaded, 'windows.weekly', Float32Array, nItems * nWeeks),
      payloadOf(loaded, 'windows.weeklyTotal', Float64Array, nWeeks + 1),
    );
  }
}
