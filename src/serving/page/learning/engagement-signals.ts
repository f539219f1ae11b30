/**
 * What members are doing now, learnt online from accepted events: "trending" item weights (rents,
 * hearts, clicks, decaying with a half-life), overall and per rented size, and what members rent for
 * each occasion (RTR's `rented_for`). Forward decay (weights grow as 2^(t/halfLife) from a landmark)
 * keeps the ranking fixed between events, so sorted lists are cached and only re-sorted when changed.
 * Seeded at start-up from the stored log (in the background, bounded) and then kept live.
 */
import { DAY_MS } from '../../../core/time.ts';
import type { EventSignal, EventType, VitrineEvent } from '../../../core/types.ts';
import { topN } from '../../../ml/common/top-n.ts';
import type { Store } from '../../../storage/store.ts';

const TRENDING_WEIGHTS: Partial<Record<EventType, number>> = { rent: 1, purchase: 1, heart: 0.5, shortlist: 0.4, click: 0.1 };
const OCCASION_TYPES: ReadonlySet<EventType> = new Set(['rent', 'purchase']);
// items kept per list: rows read a few hundred at most
const LIST_LENGTH = 1000;
// lists up to this long are re-sorted on every change
const ALWAYS_FRESH = 1000;
// a list shorter than this gaining an item moves `revision`: a row built on it shows something new
const SMALL_LIST = 100;
// rescale before 2^exponent loses precision or overflows
const MAX_EXPONENT = 600;
// events read per step of the start-up scan. Small, so few of a step's objects are alive when the
// young generation is collected: at 5,000 a third of them were promoted, and the scan left ~130 MB
// of old-generation garbage (RSS) in every thread that ran it
const SCAN_PAGE = 500;

/** One list's item weights: ids and a growable typed array (so sorting reads no Map). */
class WeightTable {
  readonly index = new Map<string, number>();
  readonly ids: string[] = [];
  weights = new Float64Array(16);

  add(itemId: string, w: number): void {
    let slot = this.index.get(itemId);
    if (slot === undefined) {
      slot = this.ids.length;
      this.index.set(itemId, slot);
      this.ids.push(itemId);
      if (slot >= this.weights.length) {
        const grown = new Float64Array(this.weights.length * 2);
        grown.set(this.weights);
        this.weights = grown;
      }
    }
    this.weights[slot] += w;
  }

  get size(): number {
    return this.ids.length;
  }

  /** Multiplies every weight by `factor`. */
  scale(factor: number): void {
    for (let k = 0; k < this.ids.length; k++) this.weights[k] *= factor;
  }

  total(): number {
    let sum = 0;
    for (let k = 0; k < this.ids.length; k++) sum += this.weights[k];
    return sum;
  }
}

interface SortedList {
  ids: string[];
  scores: Float64Array;
  at: number;
}

/** The normal form of an occasion label ("Formal Affair " → "formal affair"). */
export function normaliseOccasion(occasion: string): string {
  return occasion.trim().toLowerCase().replace(/\s+/g, ' ');
}

export class EngagementSignals {
  private readonly halfLifeMs: number;
  private landmark: number | undefined;
  private readonly weights = new Map<string, WeightTable>();
  private readonly sorted = new Map<string, SortedList>();
  private readonly dirty = new Set<string>();
  /** ids counted live while the start-up scan runs, so the scan does not count them twice */
  private liveIds: Set<string> | undefined;
  private grown = 0;
  private sorts = 0;

  /** `resortMs`: a changed list is re-sorted at most this often (monotonic time). */
  constructor(halfLifeDays: number, private readonly resortMs = 1000) {
    this.halfLifeMs = halfLifeDays * DAY_MS;
  }

  /** Counts accepted events (the page engine hands them over). */
  add(events: readonly VitrineEvent[]): void {
    for (const e of events) {
      this.liveIds?.add(e.id);
      this.count(e);
    }
  }

  /** Item ids of list `key` ('all', 'size:<label>', 'occasion:<label>'), best first, with their weights. */
  top(key: string): { ids: readonly string[]; scores: Float64Array } {
    const now = performance.now();
    let list = this.sorted.get(key);
    // small lists are cheap to sort, so they are always fresh; big ones at most every resortMs
    const stale = this.dirty.has(key) && (now - (list?.at ?? 0) >= this.resortMs || (this.weights.get(key)?.size ?? 0) <= ALWAYS_FRESH);
    if (!list || stale) {
      list = this.sort(key, now);
      this.sorted.set(key, list);
      this.dirty.delete(key);
    }
    return list;
  }

  /**
   * Moves when a short list (under SMALL_LIST items) gains an item: what cached rows built on the lists
   * check. Re-ranking within long lists does not move it (cached rows lag that by their TTL).
   */
  get revision(): number {
    return this.grown;
  }

  /** Moves whenever any list is sorted anew (its order may have changed): what rows shared across members check. */
  get listsVersion(): number {
    return this.sorts;
  }

  /** Occasions seen, most rented for first. */
  occasions(): string[] {
    const totals: Array<[string, number]> = [];
    for (const [key, table] of this.weights) if (key.startsWith('occasion:')) totals.push([key.slice('occasion:'.length), table.total()]);
    return totals.sort((a, b) => b[1] - a[1]).map(([o]) => o);
  }

  /** Counts up to `limit` stored events, a page at a time, yielding between pages; returns how many were read. */
  async hydrate(store: Store, limit: number, signal?: AbortSignal): Promise<number> {
    this.liveIds = new Set();
    let afterSeq = 0;
    let read = 0;
    try {
      while (read < limit && !signal?.aborted) {
        const page = await store.scanEventSignals({ afterSeq, limit: Math.min(SCAN_PAGE, limit - read) });
        if (page.length === 0) break;
        for (const e of page) if (!this.liveIds.has(e.id)) this.count(e);
        read += page.length;
        afterSeq = page[page.length - 1].seq;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.liveIds = undefined;
    }
    return read;
  }

  private count(e: Omit<EventSignal, 'seq'>): void {
    if (!e.itemId) return;
    const w = TRENDING_WEIGHTS[e.type];
    if (w !== undefined) {
      const decayed = w * this.growth(e.ts);
      this.bump('all', e.itemId, decayed);
      if (e.size && e.type === 'rent') this.bump(`size:${e.size}`, e.itemId, decayed);
    }
    if (e.occasion && OCCASION_TYPES.has(e.type)) this.bump(`occasion:${normaliseOccasion(e.occasion)}`, e.itemId, 1);
  }

  /** 2^((ts − landmark) / halfLife), rescaling every stored trending weight when it grows too large. */
  private growth(ts: number): number {
    this.landmark ??= ts;
    let exponent = (ts - this.landmark) / this.halfLifeMs;
    if (exponent > MAX_EXPONENT) {
      const factor = Math.pow(2, -exponent);
      for (const [key, table] of this.weights) {
        if (key.startsWith('occasion:')) continue;
        table.scale(factor);
        this.dirty.add(key);
      }
      this.landmark = ts;
      exponent = 0;
    }
    return Math.pow(2, exponent);
  }

  private bump(key: string, itemId: string, w: number): void {
    let table = this.weights.get(key);
    if (!table) this.weights.set(key, (table = new WeightTable()));
    const before = table.size;
    table.add(itemId, w);
    if (before < SMALL_LIST && table.size > before) this.grown++;
    this.dirty.add(key);
  }

  private sort(key: string, now: number): SortedList {
    this.sorts++;
    const table = this.weights.get(key);
    if (!table) return { ids: [], scores: new Float64Array(0), at: now };
    const { ids } = table;
    const weights = table.weights.subarray(0, table.size);
    // a bounded heap, not a full sort: a big list costs one pass
    const best = topN(weights, LIST_LENGTH);
    const max = best.length ? weights[best[0]] : 1;
    // scores relative to the best item, so they read the same whatever the landmark
    return { ids: Array.from(best, (i) => ids[i]), scores: Float64Array.from(best, (i) => weights[i] / max), at: now };
  }
}
