/**
 * Values made per shared list (by identity) and set of sizes, each kept while the catalogue state it
 * was made in holds: no item write, no availability change, and `now` inside [from, until), where
 * `until` is the next release date after `from` (no availableFrom falls between, so every time in the
 * span gives the same answers). What servable-prefixes.ts and servable-indexes.ts keep between requests.
 */
import type { MemoryCatalogue } from './catalogue-view.ts';

interface Kept<T> {
  value: T;
  writes: number;
  restocks: number;
  from: number;
  until: number;
}

export class PerCatalogueState<T> {
  private readonly byList = new WeakMap<readonly string[], Map<string, Kept<T>>>();

  /** `maxSizeSets`: size sets kept per list before the list's entries are dropped (a bound, not a cache policy) */
  constructor(private readonly catalogue: MemoryCatalogue, private readonly maxSizeSets: number) {}

  /** The value of (list, sizes) made in the current state and valid at `now`; else `make(now)`, kept. */
  get(list: readonly string[], sizes: readonly string[], now: number, make: (from: number) => T): T {
    const key = sizes.join('\u0000');
    let bySizes = this.byList.get(list);
    if (!bySizes) this.byList.set(list, (bySizes = new Map()));
    const c = this.catalogue;
    const kept = bySizes.get(key);
    if (kept && kept.writes === c.revision && kept.restocks === c.availabilityRevision && now >= kept.from && now < kept.until) return kept.value;
    if (!kept && bySizes.size >= this.maxSizeSets) bySizes.clear();
    const value = make(now);
    bySizes.set(key, { value, writes: c.revision, restocks: c.availabilityRevision, from: now, until: c.nextRelease(now) });
    return value;
  }
}
