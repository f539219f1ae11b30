/**
 * What the hybrid knows about every item as of a clock `asOf`, from the interactions before it:
 * popularity over several windows and with a half-life decay, rentals by size rank (recent and all
 * time), by occasion, fit feedback, first and last rental, category, price, catalogue date. Computed
 * from an ItemTimeline per clock (the inner cutoffs in training, the end of train and the time a
 * question is asked in serving); the end of train's are saved as payloads.
 */
import { DAY_MS } from '../../core/time.ts';
import { payloadOf, stringsOf, type LoadedArtifact, type Payloads } from '../artifact.ts';
import type { ItemTimeline } from './item-timeline.ts';

/** The per-item Float32 columns (each nItems long), saved under these names. */
const ITEM_COLUMNS = [
  'pop7', 'pop30', 'popRecent', 'pop365', 'popDecayed', 'popAll', 'firstDay', 'lastDay', 'createdDay', 'price',
  'fitLabelled', 'fitOk', 'fitSmall', 'fitLarge', 'sizeMedian', 'tailScore',
] as const;
type ItemColumn = (typeof ITEM_COLUMNS)[number];

export interface ItemStatsOptions {
  asOf: number;
  recentDays: number;
  halfLifeDays: number;
}

export class ItemStats {
  constructor(
    readonly asOfDay: number,
    readonly nItems: number,
    readonly nRanks: number,
    readonly nOccasions: number,
    readonly columns: Record<ItemColumn, Float32Array>,
    /** nItems × nRanks rentals in the recent window / all time */
    readonly sizeRecent: Float32Array,
    readonly sizeAll: Float32Array,
    /** nItems × nOccasions rentals all time */
    readonly occasions: Float32Array,
    readonly category: Int32Array,
    readonly categoryLabels: readonly string[],
    /** share of the recent window's rentals in each category */
    readonly categoryShare: Float32Array,
    /** Σ over items of pop7, pop30, popRecent, pop365, popDecayed, popAll; then the number of rented items */
    readonly totals: Float64Array,
  ) {}

  /** Statistics of the rows of `timeline` with ts < opts.asOf. */
  static compute(timeline: ItemTimeline, opts: ItemStatsOptions): ItemStats {
    const { nItems, nRanks, nOccasions: nOcc } = timeline;
    const col = Object.fromEntries(ITEM_COLUMNS.map((c) => [c, new Float32Array(nItems)])) as Record<ItemColumn, Float32Array>;
    col.firstDay.fill(Number.NaN);
    col.lastDay.fill(Number.NaN);
    const sizeRecent = new Float32Array(nItems * nRanks);
    const sizeAll = new Float32Array(nItems * nRanks);
    const occasions = new Float32Array(nItems * nOcc);
    const asOfDay = opts.asOf / DAY_MS;
    const end = timeline.rowsBefore(opts.asOf);
    for (let k = 0; k < end; k++) {
      const t = timeline.ts[k];
      const i = timeline.items[k];
      const age = asOfDay - t / DAY_MS;
      const day = t / DAY_MS;
      if (!(col.firstDay[i] <= day)) col.firstDay[i] = day;
      if (!(col.lastDay[i] >= day)) col.lastDay[i] = day;
      col.popAll[i]++;
      col.popDecayed[i] += 0.5 ** (age / opts.halfLifeDays);
      if (age <= 7) col.pop7[i]++;
      if (age <= 30) col.pop30[i]++;
      if (age <= 365) col.pop365[i]++;
      const recent = age <= opts.recentDays;
      if (recent) col.popRecent[i]++;
      const r = timeline.sizeRanks[k];
      if (r >= 0) {
        sizeAll[i * nRanks + r]++;
        if (recent) sizeRecent[i * nRanks + r]++;
      }
      const o = timeline.occasions[k];
      if (o >= 0) occasions[i * nOcc + o]++;
      const fit = timeline.fits[k];
      if (fit > 0) {
        col.fitLabelled[i]++;
        if (fit === 1) col.fitSmall[i]++;
        else if (fit === 2) col.fitOk[i]++;
        else col.fitLarge[i]++;
      }
    }
    for (let i = 0; i < nItems; i++) {
      col.sizeMedian[i] = medianRank(sizeAll, i * nRanks, nRanks);
      const created = timeline.createdAt[i];
      col.createdDay[i] = created > 0 && created < opts.asOf ? created / DAY_MS : Number.NaN;
      col.price[i] = timeline.price[i];
      // the fallback order: recent rentals, ties broken by the decayed count (both ≥ 0, the decay < 1 each)
      col.tailScore[i] = Number.isNaN(col.firstDay[i]) ? Number.NaN : col.popRecent[i] + col.popDecayed[i] / (1 + col.popAll[i]);
    }
    const { category, categoryLabels } = timeline;
    const categoryShare = new Float32Array(categoryLabels.length);
    let recentTotal = 0;
    for (let i = 0; i < nItems; i++) {
      categoryShare[category[i]] += col.popRecent[i];
      recentTotal += col.popRecent[i];
    }
    for (let c = 0; c < categoryShare.length; c++) categoryShare[c] = (categoryShare[c] + 1) / (recentTotal + categoryShare.length);
    const totals = new Float64Array(7);
    (['pop7', 'pop30', 'popRecent', 'pop365', 'popDecayed', 'popAll'] as const).forEach((c, j) => {
      for (let i = 0; i < nItems; i++) totals[j] += col[c][i];
    });
    for (let i = 0; i < nItems; i++) if (!Number.isNaN(col.firstDay[i])) totals[6]++;
    return new ItemStats(asOfDay, nItems, nRanks, nOcc, col, sizeRecent, sizeAll, occasions, category, categoryLabels, categoryShare, totals);
  }

  /** True for items rented before the clock: the only ones a ranking may contain. */
  known(i: number): boolean {
    return !Number.isNaN(this.columns.firstDay[i]);
  }

  /** The payloads `fromPayloads` reads back, names prefixed `items.`. */
  toPayloads(): Payloads {
    const out: Payloads = {
      'items.shape': Float64Array.of(this.asOfDay, this.nItems, this.nRanks, this.nOccasions),
      'items.sizeRecent': this.sizeRecent,
      'items.sizeAll': this.sizeAll,
      'items.occasions': this.occasions,
      'items.category': this.category,
      'items.categoryLabels': this.categoryLabels,
      'items.categoryShare': this.categoryShare,
      'items.totals': this.totals,
    };
    for (const c of ITEM_COLUMNS) out[`items.${c}`] = this.columns[c];
    return out;
  }

  /** Rebuilds the statistics saved by `toPayloads`. */
  static fromPayloads(loaded: LoadedArtifact): ItemStats {
    const shape = payloadOf(loaded, 'items.shape', Float64Array, 4);
    const [asOfDay, nItems, nRanks, nOcc] = shape;
    const col = Object.fromEntries(ITEM_COLUMNS.map((c) => [c, payloadOf(loaded, `items.${c}`, Float32Array, nItems)])) as Record<ItemColumn, Float32Array>;
    const labels = stringsOf(loaded, 'items.categoryLabels');
    return new ItemStats(
      asOfDay, nItems, nRanks, nOcc, col,
      payloadOf(loaded, 'items.sizeRecent', Float32Array, nItems * nRanks),
      payloadOf(loaded, 'items.sizeAll', Float32Array, nItems * nRanks),
      payloadOf(loaded, 'items.occasions', Float32Array, nItems * nOcc),
      payloadOf(loaded, 'items.category', Int32Array, nItems),
      labels,
      payloadOf(loaded, 'items.categoryShare', Float32Array, labels.length),
      payloadOf(loaded, 'items.totals', Float64Array, 7),
    );
  }
}

/** The median rank of the counts at base … base + nRanks − 1 (NaN when all are 0). */
function medianRank(counts: Float32Array, base: number, nRanks: number): number {
  let total = 0;
  for (let r = 0; r < nRanks; r++) total += counts[base + r];
  if (total === 0) return Number.NaN;
  let seen = 0;
  for (let r = 0; r < nRanks; r++) {
    seen += counts[base + r];
    if (seen >= total / 2) return r;
  }
  return nRanks - 1;
}
