/**
 * `back-in-your-size`: items the member showed interest in (hearts, shortlists, clicks) without
 * renting, that came back in their size: out of stock there once, units again now (the catalogue
 * view's restocks). An item that was never out of stock is not "back", so it is never here.
 * TODO(restock history): restocks are seen from the view's start; a stored availability history
 * would keep them across restarts.
 */
import type { EventType } from '../../../core/types.ts';
import { reasons, titles } from '../compose/reasons.ts';
import { mainSize, type PageContext, rankedItems, type RowSource } from '../compose/row-source.ts';

const INTEREST: ReadonlySet<EventType> = new Set(['heart', 'shortlist', 'click', 'view']);

/** Items of interest that came back in `size`, newest first. */
function backInSize(ctx: PageContext, size: string): string[] {
  return interestItems(ctx).filter((id) => ctx.catalogue.restockedIn?.(id, size) === true);
}

/** Items of interest, newest first, never rented or bought. */
function interestItems(ctx: PageContext): string[] {
  const taken = new Set<string>();
  const out: string[] = [];
  for (const r of ctx.member.recent) {
    if (r.type === 'rent' || r.type === 'purchase') taken.add(r.itemId);
    else if (INTEREST.has(r.type) && !taken.has(r.itemId)) out.push(r.itemId);
  }
  return [...new Set(out)].filter((id) => !taken.has(id));
}

export const backInYourSizeRow: RowSource = {
  kind: 'back-in-your-size',
  fallbacks: 'bound',
  cache: 'live',
  plan(ctx, row, ordinal, size) {
    const s = mainSize(ctx.member);
    if (s === undefined || ordinal > 0 || backInSize(ctx, s).length === 0) return undefined;
    return { rowId: 'back-in-your-size', kind: 'back-in-your-size', title: row.title ?? titles.backInSize, size, ordinal, seed: s };
  },
  async fill(ctx, plan) {
    const size = plan.seed ?? '';
    return { items: rankedItems(backInSize(ctx, size), ctx.allowed, plan.size, reasons.backInSize(size)) };
  },
};
