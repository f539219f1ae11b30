/**
 * `popular-in-your-size`: the popularity model's ranking within the member's size (a model trained
 * per size) or overall among items with units in it; the online counts when no model is loaded.
 */
import { checkScoredItems } from '../../fallback/model-output.ts';
import { asSegmentedPopularity } from '../../../ml/model-abilities.ts';
import { reasons, titles } from '../compose/reasons.ts';
import { candidatesFor, filterOptions, mainSize, rankedFromShared, recommendChecked, type RowSource, withReason } from '../compose/row-source.ts';

const POPULARITY_ALGORITHM = 'popularity';

export const popularInYourSizeRow: RowSource = {
  kind: 'popular-in-your-size',
  fallbacks: 'generic',
  cache: 'shared',
  // the online counts when it is not loaded
  modelOrder: () => [POPULARITY_ALGORITHM],
  plan(ctx, row, ordinal, size) {
    const s = mainSize(ctx.member);
    if (s === undefined || ordinal > 0) return undefined;
    return { rowId: 'popular-in-your-size', kind: 'popular-in-your-size', title: row.title ?? titles.popularInSize(s), size, ordinal, seed: s };
  },
  async fill(ctx, plan, models) {
    const size = plan.seed ?? '';
    const n = candidatesFor(ctx, plan.size);
    const handle = models.available([POPULARITY_ALGORITHM])[0];
    if (!handle) return { items: rankedFromShared(ctx.signals.top(`size:${size}`).ids, ctx.allowed, n, reasons.popularInSize(size)), byRank: true };
    const segmented = asSegmentedPopularity(handle.model);
    if (segmented?.segments.includes(size)) {
      const scored = checkScoredItems(await segmented.bySegment(size, n, filterOptions(ctx.allowed)), (id) => !!ctx.catalogue.get(id), handle.version);
      if (scored.length > 0) return { items: withReason(scored, reasons.popularInSize(size)) };
    }
    return { items: withReason(await recommendChecked(handle, { userId: ctx.member.userId }, n, ctx), reasons.popularInSize(size)) };
  },
};
