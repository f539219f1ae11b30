/** `new-arrivals`: the catalogue's newest servable items, newest first ("New this week"). */
import { DAY_MS } from '../../../core/time.ts';
import { reasons, titles } from '../compose/reasons.ts';
import { candidatesFor, rankedFromShared, type RowSource } from '../compose/row-source.ts';

// the newest items looked at: enough that size filters still leave a full row
const LOOK_AT = 1000;
// the long look per item of the row: ten times the candidates at the default overfetch (3)
const LONG_LOOK_PER_SLOT = 30;
const WEEK_MS = 7 * DAY_MS;

export const newArrivalsRow: RowSource = {
  kind: 'new-arrivals',
  fallbacks: 'generic',
  cache: 'shared',
  plan: (_ctx, row, ordinal, size) => (ordinal > 0 ? undefined : { rowId: 'new-arrivals', kind: 'new-arrivals', title: row.title ?? titles.newArrivals, size, ordinal }),
  async fill(ctx, plan) {
    const n = candidatesFor(ctx, plan.size);
    // a short look first (most members' sizes are in stock in most new items), the long one only when it falls short;
    // both are prefixes of the same order, so the row is the same either way. The long look is set by the row's size,
    // not by n, so a row made with more candidates (shared-rows.ts) looks at the same items.
    let items = rankedFromShared(ctx.catalogue.newest(n * 3, ctx.now), ctx.allowed, n);
    if (items.length < n) items = rankedFromShared(ctx.catalogue.newest(Math.max(LOOK_AT, plan.size * LONG_LOOK_PER_SLOT), ctx.now), ctx.allowed, n);
    // the reasons hold until the first of these items stops being new this week
    let until = Infinity;
    for (const item of items) {
      const it = ctx.catalogue.get(item.itemId);
      const since = it ? Math.max(it.availableFrom ?? 0, it.createdAt) : 0;
      const isNew = ctx.now - since < WEEK_MS;
      item.reason = isNew ? reasons.newThisWeek : reasons.newIn;
      if (isNew) until = Math.min(until, since + WEEK_MS);
    }
    return { items, byRank: true, until };
  },
};
