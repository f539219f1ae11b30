/**
 * `for-you`: the primary model's picks for the member's live history; a member no model knows gets
 * picks from their onboarding answers (content space), else what is popular — cold start, not a failure.
 */
import type { ScoredItem } from '../../../ml/model.ts';
import { SourceUnavailable } from '../../fallback/fallback-chain.ts';
import { preferenceVector } from '../../../ml/model-abilities.ts';
import { askAsMember } from '../compose/member-query.ts';
import { reasons, titles } from '../compose/reasons.ts';
import { candidatesFor, recommendChecked, rowIdOf, type RowSource, withReason } from '../compose/row-source.ts';

// a member the primary model does not know: their onboarding answers, else what is popular
const FROM_ANSWERS = ['content', 'style-clusters'];
const POPULAR = ['popularity', 'popularity-recent'];

/** Items that share something with the answers (a cosine of 0 shares nothing). */
const matching = (items: ScoredItem[]): ScoredItem[] => items.filter((i) => i.score > 0);

export const forYouRow: RowSource = {
  kind: 'for-you',
  fallbacks: 'generic',
  cache: 'stable',
  modelOrder: (primary) => [primary, ...FROM_ANSWERS, ...POPULAR],
  plan: (_ctx, row, ordinal, size) => ({ rowId: rowIdOf('for-you', ordinal), kind: 'for-you', title: row.title ?? titles.forYou, size, ordinal }),
  async fill(ctx, plan, models) {
    // a second for-you row continues where the first stops
    const n = candidatesFor(ctx, plan.size) * (plan.ordinal + 1);
    const skip = (items: ReturnType<typeof withReason>) => items.slice(plan.ordinal * plan.size);
    const primary = models.get();
    const personal = await askAsMember(ctx, primary, async (query) => ({
      // a vector without live positives is the onboarding answers' (a fold-in needs positives)
      fromAnswers: 'vector' in query && ctx.member.recent.length === 0,
      // at catalogue scale the primary model answers from its ANN index (serving.annMinItems, ADR 0005)
      items: await recommendChecked(primary, query, n, ctx, { approximate: true }),
    }));
    if (personal?.fromAnswers) return { items: skip(withReason(matching(personal.items), reasons.matchesYourAnswers)) };
    if (personal) return { items: skip(withReason(personal.items, reasons.pickedForYou)) };
    for (const content of models.available(FROM_ANSWERS)) {
      const vector = preferenceVector(content.model, ctx.member.preferences);
      if (vector) return { items: skip(withReason(matching(await recommendChecked(content, { vector }, n, ctx)), reasons.matchesYourAnswers)) };
    }
    const popular = models.available(POPULAR)[0];
    if (!popular) throw new SourceUnavailable('no model knows this member and no popularity model is loaded', true);
    return { items: skip(withReason(await recommendChecked(popular, { userId: ctx.member.userId }, n, ctx), reasons.popularWithMembers)) };
  },
};
