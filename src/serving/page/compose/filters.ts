/**
 * The business filters every served item passes: recommendable (not retired, not a placeholder,
 * available from now), units left in one of the member's sizes (when sizes are known), not held now,
 * not returned in the last N days, not dismissed, not purchased. Built once per request (the member's
 * snapshot is fixed for it); over a catalogue without a fast check, answers are memoised for the request.
 * Over the memory catalogue the filter also answers in two cheaper forms: by index into a model's id
 * list, and as the first items of a shared list that pass. In both the catalogue's part is shared by
 * every member with the same sizes (servable-indexes.ts, servable-prefixes.ts), so per item a request
 * checks only its member's own marks.
 */
import { DAY_MS } from '../../../core/time.ts';
import type { CatalogueView, MemberSnapshot } from '../../engine/contracts.ts';
import type { MemoryCatalogue } from '../../catalogue/catalogue-view.ts';

export interface FilterOptions {
  returnedWithinDays: number;
  /** sizes to check instead of the member's (a `size=` query) */
  sizes?: readonly string[];
}

/** The filter: a predicate for model calls and candidate lists, with the faster forms when the catalogue gives them. */
export interface BusinessFilter {
  (itemId: string): boolean;
  /** the same predicate by index into `ids` (a model's id list, always the same array for a model) */
  overIds?: (ids: readonly string[]) => (index: number) => boolean;
  /** the first `n` ids of `list` that pass, in order (a list that is never changed once made) */
  firstOf?: (list: readonly string[], n: number) => string[];
  /**
   * the member's own part alone (held, dismissed, bought, returned), for items the catalogue part
   * already passed in this catalogue state (shared-rows.ts); null when the member has no marks
   */
  ownMarks?: ((itemId: string) => boolean) | null;
}

/** The filter as a predicate for model calls and candidate lists. */
export function businessFilter(
  member: MemberSnapshot, catalogue: CatalogueView, now: number, opts: FilterOptions,
): BusinessFilter {
  const sizes = opts.sizes ?? member.sizes;
  const blocked = blockedItems(member, now - opts.returnedWithinDays * DAY_MS);
  const anyMarks = blocked !== undefined;
  // the member's own part of the filter
  const unmarked = (itemId: string): boolean => blocked === undefined || !blocked.has(itemId);
  const servable = catalogue.servableIn?.(sizes, now);
  const check = (itemId: string): boolean =>
    unmarked(itemId) && (servable ? servable(itemId) : catalogue.isRecommendable(itemId, now) && catalogue.hasUnitsIn(itemId, sizes));
  if (isMemoryCatalogue(catalogue)) {
    const filter: BusinessFilter = check;
    filter.overIds = (ids) => {
      const servable = catalogue.servableIndexes.of(ids, sizes, now);
      return anyMarks ? (i) => servable[i] === 1 && unmarked(ids[i]) : (i) => servable[i] === 1;
    };
    filter.ownMarks = anyMarks ? unmarked : null;
    filter.firstOf = (list, n) => {
      for (let need = n; ;) {
        const { ids, complete } = catalogue.prefixes.take(list, sizes, now, need);
        const out: string[] = [];
        for (let k = 0; k < ids.length && out.length < n; k++) if (!anyMarks || unmarked(ids[k])) out.push(ids[k]);
        if (out.length >= n || complete) return out;
        need = ids.length + 2 * (n - out.length);
      }
    };
    return filter;
  }
  // the fast catalogue check costs less than remembering its answer
  if (servable) return check;
  // one answer per item per request: a page's rows ask about the same popular items again and again
  const seen = new Map<string, boolean>();
  return (itemId) => {
    let ok = seen.get(itemId);
    if (ok === undefined) seen.set(itemId, (ok = check(itemId)));
    return ok;
  };
}

/**
 * The items the member's own marks keep off their pages now: held, dismissed, bought, returned within
 * the window; undefined when none. One set, so a candidate costs one lookup instead of up to four
 * (the filter runs for every candidate of every row); made per request, from a few dozen marks.
 */
function blockedItems(member: MemberSnapshot, returnedAfter: number): ReadonlySet<string> | undefined {
  const { held, dismissed, purchased, returned } = member;
  let recentReturns = 0;
  for (const at of returned.values()) if (!(at <= returnedAfter)) recentReturns++;
  const sets = [held, dismissed, purchased].filter((set) => set.size > 0);
  if (recentReturns === 0 && sets.length <= 1) return sets[0];
  const out = new Set<string>();
  for (const set of sets) for (const itemId of set) out.add(itemId);
  if (recentReturns > 0) for (const [itemId, at] of returned) if (!(at <= returnedAfter)) out.add(itemId);
  return out;
}

function isMemoryCatalogue(catalogue: CatalogueView): catalogue is MemoryCatalogue {
  const c = catalogue as Partial<MemoryCatalogue>;
  return c.servableIndexes !== undefined && c.prefixes !== undefined;
}
