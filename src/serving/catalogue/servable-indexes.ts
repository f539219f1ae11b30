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
import { PerCatalogueState } from './per-catalogue-state.ts';

export class ServableIndexes {
  private readonly kept: PerCatalogueState<Uint8Array>;

  constructor(private readonly catalogue: MemoryCatalogue) {
    this.kept = new PerCatalogueState(catalogue, 64); // size sets per list: a flag array is an id list long
  }

  /** flags[i] = 1 when ids[i] is in the catalogue, recommendable at `now` and has units in one of `sizes`. */
  of(ids: readonly string[], sizes: readonly string[], now: number): Uint8Array {
    return this.kept.get(ids, sizes, now, (from) => {
      // checked at `from`: every time in the flags' span gives the same answers (per-catalogue-state.ts)
      const c = this.catalogue;
      const slots = c.slotsOf(ids);
      const servable = c.servableSlotIn(sizes, from);
      const flags = new Uint8Array(ids.length);
      for (let i = 0; i < ids.length; i++) if (slots[i] >= 0 && servable(slots[i])) flags[i] = 1;
      return flags;
    });
  }
}
