/**
 * `curated`: a stylist's carousel — exactly its servable items (never more, never another), in the
 * stylist's order or, when `personalize` is set, best first for this member. Its last resort is the
 * stylist's order, which cannot fail.
 */
import type { PageItem } from '../types.ts';
import { askAsMember } from '../compose/member-query.ts';
import { reasons } from '../compose/reasons.ts';
import { type PageContext, type RowPlan, rowIdOf, scoreChecked, type RowSource, rankedItems } from '../compose/row-source.ts';

/** True when the carousel is on at `now` and meant for the member's segment. */
function applies(ctx: PageContext, plan: { carousel?: RowPlan['carousel'] }): boolean {
  const c = plan.carousel;
  if (!c) return false;
  if ((c.activeFrom !== undefined && c.activeFrom > ctx.now) || (c.activeTo !== undefined && c.activeTo < ctx.now)) return false;
  const audience = c.audience?.segments;
  if (!audience?.length) return true;
  const mine = new Set(ctx.member.segment.split('|'));
  return audience.some((s) => s === ctx.member.segment || mine.has(s));
}

/** The carousel's servable items in the stylist's order. */
function stylistOrder(ctx: PageContext, plan: RowPlan): PageItem[] {
  return rankedItems(new Set(plan.carousel?.itemIds ?? []), ctx.allowed, plan.size, reasons.stylistPick);
}

export const curatedRow: RowSource = {
  kind: 'curated',
  fallbacks: 'own',
  // only a carousel set to `personalize` asks it
  modelOrder: (primary) => [primary],
  plan(ctx, row, ordinal, size) {
    const carousel = row.carouselId === undefined ? undefined : ctx.carousels.get(row.carouselId);
    if (!carousel || !applies(ctx, { carousel })) return undefined;
    return { rowId: rowIdOf('curated', carousel.id), kind: 'curated', title: row.title ?? carousel.title, size, ordinal, carousel };
  },
  async fill(ctx, plan, models) {
    const items = rankedItems(new Set(plan.carousel?.itemIds ?? []), ctx.allowed, Infinity, reasons.stylistPick);
    if (!plan.carousel?.personalize || items.length < 2) return { items: items.slice(0, plan.size) };
    const handle = models.get();
    const ids = items.map((i) => i.itemId);
    const scores = await askAsMember(ctx, handle, (query) => scoreChecked(handle, query, ids, ctx));
    if (!scores) return { items: items.slice(0, plan.size) };
    // best model score first; items the model never saw (NaN) keep the stylist's order after them
    const order = ids.map((_, k) => k).sort((a, b) => {
      const sa = Number.isNaN(scores[a]) ? -Infinity : scores[a];
      const sb = Number.isNaN(scores[b]) ? -Infinity : scores[b];
      return sb - sa || a - b;
    });
    const sorted = order.slice(0, plan.size).map((k) => items[k]);
    sorted.forEach((item, k) => { item.score = 1 - k / sorted.length; });
    return { items: sorted };
  },
  fallback: (ctx, plan) => ({ items: stylistOrder(ctx, plan) }),
};
