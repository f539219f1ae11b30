/**
 * GET /v1/users/:id/recommendations: one list — the `for-you` row on its own, with optional category
 * and size filters, under the same deadline, business filters, fit adjustment and fallback chain.
 */
import { countChain } from '../../fallback/fallback-metrics.ts';
import { byScore, profileForFit } from '../compose/fit-adjust.ts';
import { FIT_FILTER_KIND, fitFilterFor, fitFilterNote, hasFitHistory } from '../compose/fit-filter.ts';
import { asFitPredictor } from '../../../ml/model-abilities.ts';
import { RequestScope, type ScopeDeps } from '../compose/request-scope.ts';
import { mainSize } from '../compose/row-source.ts';
import { forYouRow } from '../rows/for-you.ts';
import type { PageItem, ResolvedVariant } from '../types.ts';
import type { ItemList } from './list-types.ts';

export interface RecommendationsRequest {
  userId: string;
  n: number;
  category?: string;
  /** only items with units in this size (instead of the member's sizes) */
  size?: string;
  variant: ResolvedVariant;
}

/** The member's recommendations as one list. */
export async function listRecommendations(req: RecommendationsRequest, deps: ScopeDeps): Promise<ItemList> {
  const { catalogue } = deps;
  const also = req.category === undefined ? undefined : (id: string) => catalogue.get(id)?.category === req.category;
  const scope = await RequestScope.open(req.userId, req.variant, deps, { sizes: req.size === undefined ? undefined : [req.size], also });
  const plan = { rowId: 'recommendations', kind: 'for-you' as const, title: '', size: req.n, ordinal: 0 };
  const filled = await scope.fill(plan, forYouRow, scope.deadline.timers.now());
  let items = filled.fill?.items ?? [];
  const size = req.size ?? mainSize(scope.member);
  const body = size === undefined ? undefined : await profileForFit(scope, asFitPredictor(deps.models?.current('fit')?.model), deps.memberAttributes);
  const fit = fitFilterFor(deps.models, scope.member, size, () => ({
    filterBelow: deps.settings.fitFilterBelow, boost: deps.settings.fitBoost, ...(body ? { attributes: body } : {}),
  }));
  const { admit } = fit;
  if (admit) {
    const fitReasons = hasFitHistory(scope.member);
    const admitted: PageItem[] = [];
    for (const item of items) {
      if (admitted.length >= req.n) break;
      const shown = admit(item, fitReasons);
      if (shown) admitted.push(shown);
    }
    items = byScore(admitted);
  }
  const fitNote = fitFilterNote(fit);
  if (fitNote) {
    scope.notes.push(fitNote);
    countChain(deps.metrics, FIT_FILTER_KIND, fitNote.used, fitNote.failed);
  }
  return {
    userId: req.userId, variant: req.variant.variant,
    modelVersion: filled.versions[0] ?? null,
    tookMs: scope.tookMs(), fallbacks: scope.notes, items: items.slice(0, req.n),
  };
}
