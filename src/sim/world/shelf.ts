/**
 * What a visiting member can be shown on a day, and the stock behind it: items that have arrived,
 * the new arrivals, each archetype's items (for browsing), a seasonal popularity distribution
 * refreshed daily from recent rentals, and the units free in each size.
 */
import { DAY_MS } from '../../core/time.ts';
import { LATENT_DIM } from './archetypes.ts';
import { seasonLogit } from './behaviour.ts';
import type { Catalogue } from './catalogue.ts';
import { sampleCumulative, type Rng } from './rng.ts';
import { SIZE_COUNT } from './size-chart.ts';
import { drawArchetype } from './style-space.ts';

/** Days an arrival counts as new. */
export const NEW_ARRIVAL_DAYS = 14;
/** Daily decay of the recent-rental counts behind popularity (half-life ≈ 10 days). */
const POPULARITY_DECAY = 0.93;

/** Where an impressed item came from; becomes the impression's `context.rowId`. */
export const SLATE_SOURCES = ['trending', 'new-arrivals', 'explore', 'browse'] as const;
export type SlateSource = (typeof SLATE_SOURCES)[number];
const SOURCE_WEIGHTS = [0.3, 0.15, 0.25, 0.3];

/** The day's shelf: what can be shown, what is new, what is popular, and the free units per size. */
export class Shelf {
  /** units free now, count × SIZE_COUNT */
  readonly units: Uint8Array;
  /** seasonal log-popularity of each item today */
  readonly season: Float32Array;
  private readonly recentRents: Float32Array;
  private readonly onShelf: number[] = [];
  private readonly newArrivals: number[] = [];
  private readonly byArchetype: number[][] = Array.from({ length: LATENT_DIM }, () => []);
  private readonly arrivalOrder: Int32Array;
  private nextArrival = 0;
  private readonly cumulative: Float64Array;
  private day = -1;

  constructor(private readonly cat: Catalogue, private readonly startMs: number) {
    this.units = cat.stock.slice();
    this.season = new Float32Array(cat.count);
    this.recentRents = new Float32Array(cat.count);
    this.cumulative = new Float64Array(cat.count);
    this.arrivalOrder = Int32Array.from(cat.arrivalDay.keys()).sort((a, b) => cat.arrivalDay[a] - cat.arrivalDay[b] || a - b);
  }

  /** Moves to day `day`: shelves arrivals, decays popularity, recomputes seasons and the sampler. */
  startDay(day: number): void {
    this.day = day;
    const cat = this.cat;
    while (this.nextArrival < cat.count && cat.arrivalDay[this.arrivalOrder[this.nextArrival]] <= day) {
      const i = this.arrivalOrder[this.nextArrival++];
      this.onShelf.push(i);
      this.byArchetype[cat.primaryArchetype[i]].push(i);
    }
    this.newArrivals.length = 0;
    for (let k = this.nextArrival - 1; k >= 0; k--) {
      const i = this.arrivalOrder[k];
      if (cat.arrivalDay[i] === 0 || day - cat.arrivalDay[i] >= NEW_ARRIVAL_DAYS) break;
      this.newArrivals.push(i);
    }
    const doy = dayOfYear(this.startMs + day * DAY_MS);
    let total = 0;
    for (let k = 0; k < this.onShelf.length; k++) {
      const i = this.onShelf[k];
      this.recentRents[i] *= POPULARITY_DECAY;
      const s = seasonLogit(cat.seasonPeakDay[i], cat.seasonAmplitude[i], doy);
      this.season[i] = s;
      total += (0.2 + this.recentRents[i]) * Math.exp(s);
      this.cumulative[k] = total;
    }
  }

  /** Number of items on the shelf today. */
  get size(): number {
    return this.onShelf.length;
  }

  /** True when the item arrived less than NEW_ARRIVAL_DAYS ago (and was not in the first catalogue). */
  isNew(item: number): boolean {
    const arrival = this.cat.arrivalDay[item];
    return arrival > 0 && this.day - arrival < NEW_ARRIVAL_DAYS;
  }

  /** One item for a slate slot, and the source it came from. */
  sample(taste: Float32Array, member: number, rng: Rng): { item: number; source: SlateSource } {
    let source = SLATE_SOURCES[rng.weightedIndex(SOURCE_WEIGHTS)];
    if (source === 'new-arrivals' && this.newArrivals.length === 0) source = 'explore';
    switch (source) {
      case 'trending':
        return { item: this.onShelf[sampleCumulative(this.cumulative, this.onShelf.length, rng)], source };
      case 'new-arrivals':
        return { item: rng.pick(this.newArrivals), source };
      case 'browse': {
        const pool = this.byArchetype[drawArchetype(taste, member * LATENT_DIM, rng)];
        if (pool.length > 0) return { item: rng.pick(pool), source };
        return { item: rng.pick(this.onShelf), source: 'explore' };
      }
      default:
        return { item: rng.pick(this.onShelf), source };
    }
  }

  /** Takes a unit of `item` in chart size `size`; false when none is free. */
  take(item: number, size: number): boolean {
    const k = item * SIZE_COUNT + size;
    if (this.units[k] === 0) return false;
    this.units[k]--;
    this.recentRents[item] += 1;
    return true;
  }

  /** Puts a returned unit back. */
  restock(item: number, size: number): void {
    this.units[item * SIZE_COUNT + size]++;
  }

  /** Units of `item` free in chart size `size`. */
  free(item: number, size: number): number {
    return this.units[item * SIZE_COUNT + size];
  }
}

/** Day of the year (0 = 1 January, UTC) of an epoch-ms instant. */
export function dayOfYear(ms: number): number {
  const d = new Date(ms);
  return Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS);
}
