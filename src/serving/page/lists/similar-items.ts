/**
 * GET /v1/items/:id/similar: items like this one (the item-to-item models, as for "because you
 * liked"), re-ranked for a member when one is named; an item the catalogue lacks is a 404.
 */
import { VitrineError } from '../../../core/errors.ts';
import { askAsMember } from '../compose/member-query.ts';
import { reasons } from '../compose/reasons.ts';
import { RequestScope, type ScopeDeps } from '../compose/request-scope.ts';
import { rowIdOf, type RowSource, scoreChecked } from '../compose/row-source.ts';
import { becauseYouLikedRow } from '../rows/because-you-liked.ts';
import { personalised } from '../rows/for-occasion.ts';
import type { PageItem, ResolvedVariant } from '../types.ts';
import type { ItemList } from './list-types.ts';

export interface SimilarRequest {
  itemId: string;
  n: number;
  userId?: string;
  variant: ResolvedVariant;
}

// any good items will do when the similarity models fail (there is no "last page" of similar items)
const SIMILAR_SOURCE: RowSource = { ...becauseYouLikedRow, fallbacks: 'generic' };

/** Items similar to `req.itemId`, for `req.userId` when given. */
export async function similarItems(req: SimilarRequest, deps: ScopeDeps): Promise<ItemList> {
  const seed = deps.catalogue.get(req.itemId);
  if (!seed) throw new VitrineError('VITRINE_ITEM_NOT_FOUND', `no item "${req.itemId}"`);
  const scope = await RequestScope.open(req.userId ?? '', req.variant, deps, { anonymous: req.userId === undefined, also: (id) => id !== req.itemId });
  const plan = { rowId: rowIdOf('because-you-liked', req.itemId), kind: 'because-you-liked' as const, title: '', size: req.n, ordinal: 0, seed: req.itemId };
  const filled = await scope.fill(plan, SIMILAR_SOURCE, scope.deadline.timers.now(), {
    chain: deps.settings.fallbackChain.filter((s) => s !== 'last-page'),
  });
  let items: PageItem[] = (filled.fill?.items ?? []).map((i) => ({ ...i, reason: reasons.similarTo(seed.title) }));
  const primary = deps.models?.current(req.variant.config.model);
  if (req.userId !== undefined && primary && items.length > 1) {
    const ids = items.map((i) => i.itemId);
    const scores = await scope.attempt('personalisation', () => askAsMember(scope.ctx, primary, (q) => scoreChecked(primary, q, ids, scope.ctx)), 0.5,
      () => undefined, 'unpersonalised');
    if (scores) items = personalised(items, scores);
  }
  return {
    ...(req.userId !== undefined ? { userId: req.userId } : {}), variant: req.variant.variant,
    modelVersion: filled.versions[0] ?? null, tookMs: scope.tookMs(), fallbacks: scope.notes, items: items.slice(0, req.n),
  };
}
