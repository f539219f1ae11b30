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

interface Prefix {
  /** the servable ids of list[0 .. next), in order */
  ids: string[];
  next: number;
  /** the catalogue state it was made in, and the times it holds for: [from, until) */
  writes: number;
  restocks: number;
  from: number;
  until: number;
}

// size sets kept per list before the list's entries are dropped (a bound, not a cache policy)
const MAX_SIZE_SETS = 256;

export class ServablePrefixes {
  private readonly byList = new WeakMap<readonly string[], Map<string, Prefix>>();

  constructor(private readonly catalogue: MemoryCatalogue) {}

  /**
   * At least `need` servable ids of `list` in `sizes` at `now`, from the list's start and in its order
   * (fewer only when the list runs out); `complete` when the whole list has been looked at.
   */
  take(list: readonly string[], sizes: readonly string[], now: number, need: number): { ids: readonly string[]; complete: boolean } {
    const key = sizes.join('\u0000');
    let bySizes = this.byList.get(list);
    if (!bySizes) this.byList.set(list, (bySizes = new Map()));
    const c = this.catalogue;
    let p = bySizes.get(key);
    if (!p || p.writes !== c.revision || p.restocks !== c.availabilityRevision || now < p.from || now >= p.until) {
      if (!p && bySizes.size >= MAX_SIZE_SETS) bySizes.clear();
      p = { ids: [], next: 0, writes: c.revision, restocks: c.availabilityRevision, from: now, until: c.nextRelease(now) };
      bySizes.set(key, p);
    }
    if (p.ids.length < need && p.next < list.length) {
      // checked at `from`: every time in [from, until) gives the same answers (no availableFrom falls between)
      const servable = c.servableIn(sizes, p.from);
      let k = p.next;
      for (; k < list.length && p.ids.length < need; k++) if (servable(list[k])) p.ids.push(list[k]);
      p.next = k;
    }
    return { ids: p.ids, complete: p.next >= list.length };
  }
}
