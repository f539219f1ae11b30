/**
 * The servable items of a shared ranked list (trending, the newest items, a style cluster, what is
 * rented for an occasion), per set of sizes, kept between requests. Every member with the same sizes
 * walks such a list through the same catalogue check (recommendable now, units in a size), so it is
 * done once per list, sizes and catalogue state; a request then checks only its own member's marks
 * (held, dismissed, bought, returned) on the few items it takes. A shared precomputation, not a
 * per-member cache: members never seen before use it too.
 * Lists are keyed by identity: a list must not change once handed out (the signal lists and the
 * catalogue's `newest` are new arrays when they change).
 */
import type { MemoryCatalogue } from './catalogue-view.ts';
import { PerCatalogueState } from './per-catalogue-state.ts';

interface Prefix {
  /** the servable ids of list[0 .. next), in order */
  ids: string[];
  next: number;
  /** the time the catalogue check is made at (every time until the next release answers the same) */
  from: number;
}

export class ServablePrefixes {
  private readonly kept: PerCatalogueState<Prefix>;

  constructor(private readonly catalogue: MemoryCatalogue) {
    this.kept = new PerCatalogueState(catalogue, 256); // size sets per list
  }

  /**
   * At least `need` servable ids of `list` in `sizes` at `now`, from the list's start and in its order
   * (fewer only when the list runs out); `complete` when the whole list has been looked at.
   */
  take(list: readonly string[], sizes: readonly string[], now: number, need: number): { ids: readonly string[]; complete: boolean } {
    const p = this.kept.get(list, sizes, now, (from) => ({ ids: [], next: 0, from }));
    if (p.ids.length < need && p.next < list.length) {
      // checked at `from`: every time in the prefix's span gives the same answers (per-catalogue-state.ts)
      const servable = this.catalogue.servableIn(sizes, p.from);
      let k = p.next;
      for (; k < list.length && p.ids.length < need; k++) if (servable(list[k])) p.ids.push(list[k]);
      p.next = k;
    }
    return { ids: p.ids, complete: p.next >= list.length };
  }
}
