/**
 * `back-in-your-size`: items the member showed interest in (hearts, shortlists, clicks) without
 * renting, that have units in their size now.
 * TODO(restock history): the catalogue view keeps no availability history, so "back" means "available
 * now"; recording 0 → n unit transitions per size would show only true restocks.
 */
import type { EventType } from '../../../core/types.ts';
import { reasons, titles } from '../reasons.ts';
import { mainSize, type PageContext, rankedItems, type RowSource } from '../row-source.ts';

const INTEREST: ReadonlySet<EventType> = new Set(['heart', 'shortlist', 'click', 'view']);

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
    if (s === undefined || ordinal > 0 || interestItems(ctx).length === 0) return undefined;
    return { rowId: 'back-in-your-size', kind: 'back-in-your-size', title: row.title ?? titles.backInSize, size, ordinal, seed: s };
  },
  async fill(ctx, plan) {
    return { items: rankedItems(interestItems(ctx), ctx.allowed, plan.size, reasons.backInSize(plan.seed ?? '')) };
  },
};
