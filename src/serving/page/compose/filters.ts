/**
 * The business filters every served item passes: recommendable (not retired, not a placeholder,
 * available from now), units left in one of the member's sizes (when sizes are known), not held now,
 * not returned in the last N days, not dismissed, not purchased. Built once per request (the member's
 * snapshot is fixed for it); over a catalogue without a fast check, answers are memoised for the request.
 */
import { DAY_MS } from '../../../core/time.ts';
import type { CatalogueView, MemberSnapshot } from '../../engine/contracts.ts';

export interface FilterOptions {
  returnedWithinDays: number;
  /** sizes to check instead of the member's (a `size=` query) */
  sizes?: readonly string[];
}

/** The filter as a predicate for model calls and candidate lists. */
export function businessFilter(
  member: MemberSnapshot, catalogue: CatalogueView, now: number, opts: FilterOptions,
): (itemId: string) => boolean {
  const sizes = opts.sizes ?? member.sizes;
  const returnedAfter = now - opts.returnedWithinDays * DAY_MS;
  const { held, dismissed, purchased, returned } = member;
  const marked = held.size + dismissed.size + purchased.size > 0;
  const servable = catalogue.servableIn?.(sizes, now);
  const check = (itemId: string): boolean => {
    if (marked && (held.has(itemId) || dismissed.has(itemId) || purchased.has(itemId))) return false;
    const returnedAt = returned.size > 0 ? returned.get(itemId) : undefined;
    if (returnedAt !== undefined && returnedAt > returnedAfter) return false;
    return servable ? servable(itemId) : catalogue.isRecommendable(itemId, now) && catalogue.hasUnitsIn(itemId, sizes);
  };
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
