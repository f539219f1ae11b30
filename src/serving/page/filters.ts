/**
 * The business filters every served item passes: recommendable (not retired, not a placeholder,
 * available from now), units left in one of the member's sizes (when sizes are known), not held now,
 * not returned in the last N days, not dismissed, not purchased.
 */
import { DAY_MS } from '../../core/time.ts';
import type { CatalogueView, MemberSnapshot } from '../engine/contracts.ts';

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
  return (itemId) => {
    if (held.has(itemId) || dismissed.has(itemId) || purchased.has(itemId)) return false;
    const returnedAt = returned.size > 0 ? returned.get(itemId) : undefined;
    if (returnedAt !== undefined && returnedAt > returnedAfter) return false;
    return catalogue.isRecommendable(itemId, now) && catalogue.hasUnitsIn(itemId, sizes);
  };
}
