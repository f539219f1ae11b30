/**
 * `trending`: what members rent, heart and click now (online counts with a half-life), in the
 * member's size when they have one; the `popularity-recent` model when nothing has been counted yet.
 */
import { reasons, titles } from '../compose/reasons.ts';
import { candidatesFor, mainSize, rankedFromShared, recommendChecked, type RowSource, withReason } from '../compose/row-source.ts';

const RECENT_ALGORITHM = 'popularity-recent';

/** The ids of `lists` in order, each once (lazily: a row stops reading when it is full). */
function* distinct(lists: ReadonlyArray<readonly string[]>): Generator<string> {
  const seen = new Set<string>();
  for (const list of lists) {
    for (const id of list) {
      if (seen.has(id)) continue;
      seen.add(id);
      yield id;
    }
  }
}

// a size's list followed by the overall one, made once per pair of lists (the lists are new arrays when they change)
const mergedLists = new WeakMap<readonly string[], { all: readonly string[]; ids: readonly string[] }>();

/** The size's list then the overall list, each id once: one shared list, so its filtering is shared too. */
function sizeThenAll(inSize: readonly string[], all: readonly string[]): readonly string[] {
  let merged = mergedLists.get(inSize);
  if (!merged || merged.all !== all) mergedLists.set(inSize, (merged = { all, ids: [...distinct([inSize, all])] }));
  return merged.ids;
}

export const trendingRow: RowSource = {
  kind: 'trending',
  fallbacks: 'generic',
  cache: 'shared',
  // asked only while nothing has been counted online
  modelOrder: () => [RECENT_ALGORITHM],
  plan(ctx, row, ordinal, size) {
    if (ordinal > 0) return undefined;
    const s = mainSize(ctx.member);
    const inSize = s !== undefined && ctx.signals.top(`size:${s}`).ids.length > 0;
    return { rowId: 'trending', kind: 'trending', title: row.title ?? titles.trending(inSize ? s : undefined), size, ordinal, seed: inSize ? s : undefined };
  },
  async fill(ctx, plan, models) {
    const n = candidatesFor(ctx, plan.size);
    const size = plan.seed;
    const all = ctx.signals.top('all').ids;
    const list = size === undefined ? all : sizeThenAll(ctx.signals.top(`size:${size}`).ids, all);
    const counted = rankedFromShared(list, ctx.allowed, n, reasons.trending(size));
    if (counted.length > 0) return { items: counted, byRank: true };
    const recent = models.available([RECENT_ALGORITHM])[0];
    if (!recent) return { items: [] };
    return { items: withReason(await recommendChecked(recent, { userId: ctx.member.userId }, n, ctx), reasons.trending(size)) };
  },
};
