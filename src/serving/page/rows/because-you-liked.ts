/**
 * `because-you-liked`: items like one of the member's recent positives — the nth row of this kind on
 * a template is seeded on the nth most recent one, so a rent seeds the very next page. Titled with
 * the seed's title. Item-to-item models are asked first; one that never saw the seed passes it on.
 */
import type { EventType } from '../../../core/types.ts';
import type { ModelHandle } from '../../engine/contracts.ts';
import { SourceUnavailable } from '../../fallback/fallback-chain.ts';
import { isUnknownToModel } from '../compose/member-query.ts';
import { reasons, titles } from '../compose/reasons.ts';
import { candidatesFor, type PageContext, rowIdOf, type RowSource, similarChecked, withReason } from '../compose/row-source.ts';

const SIMILARITY_ALGORITHMS = ['item-knn', 'ease', 'als', 'content', 'style-clusters'];
// what counts as loving an item (a click or a view does not)
const SEED_TYPES: ReadonlySet<EventType> = new Set(['rent', 'purchase', 'heart', 'shortlist']);

/** The member's distinct recent positives that are catalogued, newest first. */
export function seedsOf(ctx: PageContext): string[] {
  const seeds: string[] = [];
  const seen = new Set<string>();
  for (const r of ctx.member.recent) {
    if (r.weight <= 0 || !SEED_TYPES.has(r.type) || seen.has(r.itemId)) continue;
    seen.add(r.itemId);
    if (ctx.catalogue.get(r.itemId)) seeds.push(r.itemId);
  }
  return seeds;
}

export const becauseYouLikedRow: RowSource = {
  kind: 'because-you-liked',
  fallbacks: 'bound',
  cache: 'stable',
  // item-knn first (made for this), then the primary model, then the other item-to-item ones
  modelOrder: (primary) => [...new Set([SIMILARITY_ALGORITHMS[0], primary, ...SIMILARITY_ALGORITHMS])],
  plan(ctx, row, ordinal, size) {
    const seed = seedsOf(ctx)[ordinal];
    if (seed === undefined) return undefined;
    const seedTitle = ctx.catalogue.get(seed)?.title ?? seed;
    return { rowId: rowIdOf('because-you-liked', seed), kind: 'because-you-liked', title: row.title ?? titles.becauseYouLoved(seedTitle), size, ordinal, seed };
  },
  async fill(ctx, plan, models) {
    const seed = plan.seed ?? '';
    const seedTitle = ctx.catalogue.get(seed)?.title ?? seed;
    const handles: ModelHandle[] = [];
    const primary = models.find();
    for (const h of [...models.available(SIMILARITY_ALGORITHMS.slice(0, 1)), ...(primary ? [primary] : []), ...models.available(SIMILARITY_ALGORITHMS)]) {
      if (!handles.some((x) => x.version === h.version)) handles.push(h);
    }
    if (handles.length === 0) throw new SourceUnavailable(`no ${models.which} item-to-item model is loaded`, models.which === 'current');
    for (const handle of handles) {
      if (handle.model.knowsItem?.(seed) === false) continue;
      try {
        const similar = await similarChecked(handle, seed, candidatesFor(ctx, plan.size), ctx);
        return { items: withReason(similar, reasons.becauseYouLoved(seedTitle)) };
      } catch (err) {
        if (!isUnknownToModel(err)) throw err;
      }
    }
    // an item added since training: the chain's next source (no failure to report)
    throw new SourceUnavailable(`no ${models.which} model knows item "${seed}"`);
  },
};
