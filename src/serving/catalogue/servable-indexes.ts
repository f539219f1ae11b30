/**
 * Per model id list and set of sizes, which of the list's items are servable (recommendable now,
 * units in one of the sizes): a byte per id, made once per catalogue state and kept between requests.
 * The filter by index into a model's ids (filters.ts `overIds`: the ANN scan's and the top-N's filter)
 * then reads one byte per candidate from an array every member with those sizes shares, which stays in
 * the CPU's caches, instead of the id's catalogue slot and three arrays indexed by it: a page's
 * candidates are scattered over the catalogue, so each of those reads was a cache miss. A shared
 * precomputation like servable-prefixes.ts (members never seen before use it too), not a member cache.
 * Lists are keyed by identity: a model's id list never changes.
 */
import type { MemoryCatalogue } from './catalogue-view.ts';

interface Flags {
  /** 1 where ids[i] is servable in the sizes during [from, until) */
  flags: Uint8Array;
  /** the catalogue state they were made in */
  writes: number;
  restocks: number;
  from: number;
  until: number;
}

// size sets kept per list before the list's entries are dropped (a bound, not a cache policy)
const MAX_SIZE_SETS = 64;

export class ServableIndexes {
  private readonly byList = new WeakMap<readonly string[], Map<string, Flags>>();

  constructor(private readonly catalogue: MemoryCatalogue) {}

  /** flags[i] = 1 when ids[i] is in the catalogue, recommendable at `now` and has units in one of `sizes`. */
  of(ids: readonly string[], sizes: readonly string[], now: number): Uint8Array {
    const key = sizes.join('\u0000');
    let bySizes = this.byList.get(ids);
    if (!bySizes) this.byList.set(ids, (bySizes = new Map()));
    const c = this.catalogue;
    const kept = bySizes.get(key);
    if (kept && kept.writes === c.revision && kept.restocks === c.availabilityRevision && now >= kept.from && now < kept.until) return kept.flags;
    if (!kept && bySizes.size >= MAX_SIZE_SETS) bySizes.clear();
    // checked at `now`: every time until the next release gives the same answers (no availableFrom falls between)
    const slots = c.slotsOf(ids);
    const servable = c.servableSlotIn(sizes, now);
    const flags = new Uint8Array(ids.length);
    for (let i = 0; i < ids.length; i++) if (slots[i] >= 0 && servable(slots[i])) flags[i] = 1;
    bySizes.set(key, { flags, writes: c.revision, restocks: c.availabilityRevision, from: now, until: c.nextRelease(now) });
    return flags;
  }
}
