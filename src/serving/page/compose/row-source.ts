/**
 * What one row kind provides: a cheap synchronous `plan` (does the row apply to this member, its id
 * and title) and an asynchronous `fill` (its items, from models that may throw or hang). Shared
 * helpers turn model answers into checked, filtered, reasoned items.
 */
import { createHash } from 'node:crypto';
import type { RecommendOptions, ScoredItem, UserQuery } from '../../../ml/model.ts';
import type { CatalogueView, MemberSnapshot, ModelHandle } from '../../engine/contracts.ts';
import { checkScoredItems, checkScores } from '../../fallback/model-output.ts';
import type { EngagementSignals } from '../learning/engagement-signals.ts';
import type { Carousel, PageItem, RowKind, TemplateRow } from '../types.ts';
import type { BusinessFilter } from './filters.ts';

/** Everything a row needs to know about this request. */
export interface PageContext {
  member: MemberSnapshot;
  /** epoch ms */
  now: number;
  catalogue: CatalogueView;
  /** the business filters (filters.ts) */
  allowed: BusinessFilter;
  signals: EngagementSignals;
  /** carousels named by the template, fetched before planning */
  carousels: ReadonlyMap<string, Carousel>;
  /** candidates fetched per row slot */
  overfetch: number;
  /** the member's cached fold-in vector under a model (online state), when it can give one */
  foldIn?: (handle: ModelHandle) => Float32Array | undefined;
}

export interface RowPlan {
  rowId: string;
  kind: RowKind;
  title: string;
  explanation?: string;
  /** items wanted */
  size: number;
  /** the nth row of its kind on the template (0-based): which seed, which style cluster */
  ordinal: number;
  /** because-you-liked: the seed item; for-occasion: the occasion; curated: the carousel */
  seed?: string;
  carousel?: Carousel;
}

export interface RowFill {
  items: PageItem[];
  /** replaces the planned title (a style row names its cluster once it is chosen) */
  title?: string;
  explanation?: string;
  /** the items are scored by rank (1 − k / n): a row shared across members is scored again per member (shared-rows.ts) */
  byRank?: boolean;
  /** epoch ms: when time alone changes this answer (new-arrivals' "new this week"); a shared row is made again then */
  until?: number;
}

/** The models a fill may use: current versions, or the previous ones when the chain falls back. */
export interface ModelPicker {
  readonly which: 'current' | 'previous';
  /** the model of `algorithm` (the primary one when omitted); SourceUnavailable when none is loaded */
  get(algorithm?: string): ModelHandle;
  /** the model of `algorithm` (the primary one when omitted), or undefined */
  find(algorithm?: string): ModelHandle | undefined;
  /** the loaded models among `algorithms`, in that order, each version once */
  available(algorithms: readonly string[]): ModelHandle[];
  /** model versions handed out so far */
  readonly used: string[];
}

export interface RowSource {
  kind: RowKind;
  /**
   * Which fallbacks suit it: 'generic' rows (any good items will do) take the whole chain;
   * 'bound' rows (their title promises something: a seed, a style, an occasion) only model versions and
   * the last page; 'own' rows have their own last resort (`fallback`).
   */
  fallbacks: 'generic' | 'bound' | 'own';
  /**
   * How a page may reuse its answer (row-cache.ts, ADR 0007):
   * - 'stable' rows depend only on the member's state, the models and the catalogue, and are reused
   *   while those stand still (serving.rowCacheTtlMs at most);
   * - 'live' rows are also built on shared counts or availability, and are reused for
   *   serving.rowCacheLiveTtlMs at most, while the live revision stands;
   * - 'shared' rows are live rows that read nothing of the member but their sizes (trending, new
   *   arrivals, popular in your size): they are kept across the member's own events too, since the
   *   business filters are applied again on every reuse.
   * Unset: filled afresh on every page.
   */
  cache?: 'stable' | 'live' | 'shared';
  /**
   * The algorithms `fill` asks, in the order it asks them, given the primary one (for-you's); absent
   * when the row uses no model. GET /v1/models names the first loaded one as the row kind's model.
   */
  modelOrder?(primary: string): readonly string[];
  plan(ctx: PageContext, row: TemplateRow, ordinal: number, size: number): RowPlan | undefined;
  fill(ctx: PageContext, plan: RowPlan, models: ModelPicker, signal: AbortSignal): Promise<RowFill>;
  /** the 'own' last resort: cannot fail */
  fallback?(ctx: PageContext, plan: RowPlan): RowFill;
}

/** How many candidates to ask for a row of `size`. */
export function candidatesFor(ctx: PageContext, size: number): number {
  return Math.ceil(size * ctx.overfetch);
}

/**
 * `model.recommend`, awaited (a wrapped model may answer late) and checked. Asked at the request's
 * clock (`asOf`): time belongs to the query, not to the model's training.
 */
export async function recommendChecked(
  handle: ModelHandle, query: UserQuery, n: number, ctx: PageContext, opts: RecommendOptions = {},
): Promise<ScoredItem[]> {
  const answer: unknown = await handle.model.recommend(query, n, { ...filterOptions(ctx.allowed), asOf: ctx.now, ...opts });
  return checkScoredItems(answer, (id) => ctx.catalogue.get(id) !== undefined, handle.version);
}

/** The business filter as a model's options: by id, and by index into the model's ids when it can be. */
export function filterOptions(allowed: BusinessFilter): Pick<RecommendOptions, 'filter' | 'filterIndex'> {
  return allowed.overIds ? { filter: allowed, filterIndex: allowed.overIds } : { filter: allowed };
}

/** `model.similar`, awaited and checked. */
export async function similarChecked(handle: ModelHandle, itemId: string, n: number, ctx: PageContext): Promise<ScoredItem[]> {
  const answer: unknown = await handle.model.similar(itemId, n, { ...filterOptions(ctx.allowed), asOf: ctx.now });
  return checkScoredItems(answer, (id) => ctx.catalogue.get(id) !== undefined, handle.version);
}

/** `model.score` at the request's clock, awaited and checked. */
export async function scoreChecked(
  handle: ModelHandle, query: UserQuery, itemIds: readonly string[], ctx: Pick<PageContext, 'now'>,
): Promise<ArrayLike<number>> {
  const answer: unknown = await handle.model.score(query, itemIds, { asOf: ctx.now });
  return checkScores(answer, itemIds.length, handle.version);
}

/** Scored model answers as page items with one reason. */
export function withReason(scored: readonly ScoredItem[], reason: string | undefined): PageItem[] {
  return scored.map((s) => (reason ? { itemId: s.itemId, score: s.score, reason } : { itemId: s.itemId, score: s.score }));
}

/** The first `n` allowed ids of a ranked list as items scored by rank (1, then falling). */
export function rankedItems(ids: Iterable<string>, allowed: BusinessFilter, n: number, reason?: string): PageItem[] {
  const out: PageItem[] = [];
  for (const id of ids) {
    if (out.length >= n) break;
    if (!allowed(id)) continue;
    out.push(reason ? { itemId: id, score: 0, reason } : { itemId: id, score: 0 });
  }
  return scoredByRank(out);
}

/**
 * `rankedItems` over a list shared by many requests (signal lists, the newest items, a style cluster):
 * the catalogue's part of the filter is done once per list and size set (servable-prefixes.ts). The
 * list must never change once made.
 */
export function rankedFromShared(list: readonly string[], allowed: BusinessFilter, n: number, reason?: string): PageItem[] {
  if (!allowed.firstOf) return rankedItems(list, allowed, n, reason);
  const out = allowed.firstOf(list, n).map((id): PageItem => (reason ? { itemId: id, score: 0, reason } : { itemId: id, score: 0 }));
  return scoredByRank(out);
}

/** Items scored by rank: 1, then falling. */
function scoredByRank(out: PageItem[]): PageItem[] {
  out.forEach((item, k) => { item.score = 1 - k / Math.max(out.length, 1); });
  return out;
}

/** A row id from its kind and key, kept a valid id (it comes back in events' context.rowId). */
export function rowIdOf(kind: RowKind, key?: string | number): string {
  if (key === undefined || key === 0) return kind;
  const id = `${kind}:${String(key).replace(/[^A-Za-z0-9._:@-]+/g, '-')}`;
  return id.length <= 128 ? id : `${kind}:${createHash('sha1').update(String(key)).digest('hex')}`;
}

/** The member's most likely size, if known. */
export function mainSize(member: MemberSnapshot): string | undefined {
  return member.sizes[0];
}
