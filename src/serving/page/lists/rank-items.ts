/**
 * POST /v1/users/:id/rank: the given items, best first for the member — by the primary model (the
 * previous version if it fails), else by what is popular now, else as given. Items the member cannot
 * have now (held, no units in their size, retired…) go last. Scores are by rank (1 = best).
 */
import { runFallbackChain, SourceUnavailable, type ChainStep } from '../../fallback/fallback-chain.ts';
import { countChain } from '../../fallback/fallback-metrics.ts';
import { askAsMember } from '../compose/member-query.ts';
import { modelPicker } from '../../fallback/model-picker.ts';
import { RequestScope, RESPONSE_RESERVE_MS, type ScopeDeps } from '../compose/request-scope.ts';
import { scoreChecked } from '../compose/row-source.ts';
import type { PageItem, ResolvedVariant } from '../types.ts';
import type { ItemList } from './list-types.ts';

export interface RankRequest {
  userId: string;
  itemIds: readonly string[];
  variant: ResolvedVariant;
}

type Ranked = { items: Array<{ itemId: string }> };

/** `ids` ordered by `key` descending (NaN last), ties in the given order. */
function orderBy(ids: readonly string[], key: (k: number) => number): Ranked {
  const order = ids.map((_, k) => k).sort((a, b) => {
    const ka = Number.isNaN(key(a)) ? -Infinity : key(a);
    const kb = Number.isNaN(key(b)) ? -Infinity : key(b);
    return kb - ka || a - b;
  });
  return { items: order.map((k) => ({ itemId: ids[k] })) };
}

/** The member's order of `req.itemIds`. */
export async function rankItems(req: RankRequest, deps: ScopeDeps): Promise<ItemList> {
  const scope = await RequestScope.open(req.userId, req.variant, deps);
  const ids = req.itemIds;
  const versions: string[] = [];
  const byModel = (which: 'current' | 'previous'): ChainStep<Ranked> => ({
    source: `${which}-model`,
    run: async () => {
      const handle = modelPicker(deps.models, which, req.variant.config.model).get();
      const scores = await askAsMember(scope.ctx, handle, (q) => scoreChecked(handle, q, ids, scope.ctx));
      if (!scores) throw new SourceUnavailable('the model does not know this member');
      versions.push(handle.version);
      return orderBy(ids, (k) => scores[k]);
    },
  });
  const byPopularity: ChainStep<Ranked> = {
    source: 'segment-popularity',
    run: () => {
      const weight = new Map<string, number>();
      for (const key of [...scope.member.sizes.map((s) => `size:${s}`), 'all']) {
        const { ids: top, scores } = deps.signals.top(key);
        top.forEach((id, r) => { if (!weight.has(id)) weight.set(id, scores[r]); });
      }
      if (!ids.some((id) => weight.has(id))) throw new SourceUnavailable('none of these items has been counted');
      return orderBy(ids, (k) => weight.get(ids[k]) ?? NaN);
    },
  };
  const steps = [byModel('current'), byModel('previous'), byPopularity, { source: 'static', infallible: true, run: () => orderBy(ids, () => 0) }];
  const result = await runFallbackChain(steps, {
    remainingMs: () => Math.min(deps.settings.rowBudgetMs, scope.deadline.remaining() - RESPONSE_RESERVE_MS), target: ids.length, timers: scope.deadline.timers,
  });
  countChain(deps.metrics, 'rank', result.used, result.failures);
  if (result.failures.length > 0) scope.notes.push({ rowId: 'rank', kind: 'rank', used: result.used, failed: result.failures });
  const ranked = result.output?.items ?? ids.map((itemId) => ({ itemId }));
  const servable = ranked.filter((i) => scope.ctx.allowed(i.itemId));
  const rest = ranked.filter((i) => !scope.ctx.allowed(i.itemId));
  const items: PageItem[] = [...servable, ...rest].map((i, k, all) => ({ itemId: i.itemId, score: 1 - k / all.length }));
  return {
    userId: req.userId, variant: req.variant.variant, modelVersion: versions[0] ?? deps.models?.current(req.variant.config.model)?.version ?? null,
    tookMs: scope.tookMs(), fallbacks: scope.notes, items,
  };
}
