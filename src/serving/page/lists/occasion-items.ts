/**
 * GET /v1/occasions/:occasion/items: what members rent for an occasion (learnt from events'
 * `occasion`), re-ranked for a member when one is named. An occasion nobody has rented for yet has
 * an empty list, not an error. When the models fail, the learnt order itself is the last resort.
 */
import { normaliseOccasion } from '../learning/engagement-signals.ts';
import { reasons } from '../compose/reasons.ts';
import { RequestScope, type ScopeDeps } from '../compose/request-scope.ts';
import { rankedFromShared, rowIdOf, type RowSource } from '../compose/row-source.ts';
import { forOccasionRow } from '../rows/for-occasion.ts';
import type { ResolvedVariant } from '../types.ts';
import type { ItemList } from './list-types.ts';

export interface OccasionRequest {
  occasion: string;
  n: number;
  userId?: string;
  variant: ResolvedVariant;
}

const OCCASION_SOURCE: RowSource = {
  ...forOccasionRow,
  fallbacks: 'own',
  fallback: (ctx, plan) => ({
    items: rankedFromShared(ctx.signals.top(`occasion:${plan.seed}`).ids, ctx.allowed, plan.size, reasons.rentedFor(plan.seed ?? '')),
  }),
};

/** Items for `req.occasion`, best first (for `req.userId` when given). */
export async function occasionItems(req: OccasionRequest, deps: ScopeDeps): Promise<ItemList & { occasion: string }> {
  const occasion = normaliseOccasion(req.occasion);
  const scope = await RequestScope.open(req.userId ?? '', req.variant, deps, { anonymous: req.userId === undefined });
  const plan = { rowId: rowIdOf('for-occasion', occasion), kind: 'for-occasion' as const, title: '', size: req.n, ordinal: 0, seed: occasion };
  const filled = await scope.fill(plan, OCCASION_SOURCE, scope.deadline.timers.now(), { chain: ['current-model', 'previous-model'] });
  return {
    occasion, ...(req.userId !== undefined ? { userId: req.userId } : {}), variant: req.variant.variant,
    modelVersion: filled.versions[0] ?? null, tookMs: scope.tookMs(), fallbacks: scope.notes, items: (filled.fill?.items ?? []).slice(0, req.n),
  };
}
