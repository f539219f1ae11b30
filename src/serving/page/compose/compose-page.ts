/**
 * Composes a page (DESIGN.md § Flow of one page request): the member's live state → the template's
 * rows planned → rows ordered (bandit per segment, or the template's order) → rows filled in parallel,
 * each under its own deadline and fallback chain → de-duplicated across the page (earlier rows win,
 * curated rows first) → fit filters and boosts → empty rows dropped. Nothing a model does can fail the
 * page: the worst case is the static list, and the response says which fallbacks fired (a missing fit
 * model too: fit-filter.ts).
 */
import { VitrineError } from '../../../core/errors.ts';
import { timeOrderedId } from '../../../core/ids.ts';
import type { MemberSnapshot } from '../../engine/contracts.ts';
import { DEFAULT_HOME_TEMPLATE } from '../../merchandising/default-templates.ts';
import { dedupeRows } from './dedupe.ts';
import { type PageCache, pageCacheKey } from '../cache/page-cache.ts';
import { countChain } from '../../fallback/fallback-metrics.ts';
import { byScore, profileForFit } from './fit-adjust.ts';
import { FIT_FILTER_KIND, type FitFilter, fitFilterFor, fitFilterNote, hasFitHistory, onlyFitModelMissing } from './fit-filter.ts';
import { asFitPredictor } from '../../../ml/model-abilities.ts';
import { type FilledList, RequestScope, RESPONSE_RESERVE_MS, type ScopeDeps } from './request-scope.ts';
import type { RowOrderBandit } from '../learning/row-order-bandit.ts';
import { mainSize, type PageContext, type RowPlan } from './row-source.ts';
import { ROW_SOURCES } from '../rows/index.ts';
import {
  type Carousel, isRowKind, type Merchandising, type Page, type PageItem, type PageRow, type PageTemplate, type ResolvedVariant,
} from '../types.ts';

// rows filled beyond what is asked, in case some come back empty
const SPARE_ROWS = 2;
// rows whose reason a fit prediction may replace (the others' reasons say more)
const FIT_REASON_KINDS: ReadonlySet<string> = new Set(['for-you', 'style', 'curated', 'new-arrivals']);
// items past a row's size predicted ahead, for those the filter or de-duplication passes over
const WARM_MARGIN = 1;

export interface PageDeps extends ScopeDeps {
  merchandising: Merchandising;
  bandit: RowOrderBandit;
  /** members' last pages, reused while nothing they were made from moved (page-cache.ts) */
  pageCache?: PageCache;
}

export interface PageRequest {
  userId: string;
  page: string;
  rows: number;
  size: number;
  variant: ResolvedVariant;
}

export interface ComposedPage {
  page: Page;
  member: MemberSnapshot;
  /** a reused page's rows, already serialised (the route sends them without serialising again) */
  rowsJson?: string;
}

/** Composes the page described in the file comment. */
export async function composePage(req: PageRequest, deps: PageDeps): Promise<ComposedPage> {
  const scope = await RequestScope.open(req.userId, req.variant, deps);
  const template = await scope.attempt('template', () => findTemplate(deps.merchandising, req.variant.config.template ?? req.page), 0.25,
    () => DEFAULT_HOME_TEMPLATE, 'default-template');
  const carousels = await scope.attempt('carousels', () => fetchCarousels(deps.merchandising, template), 0.25,
    () => new Map<string, Carousel>(), 'no-carousels');
  const ctx: PageContext = { ...scope.ctx, carousels };
  scope.ctx = ctx;
  const { member } = scope;

  const plans = planRows(ctx, template, req.size);
  const wanted = Math.min(req.rows, template.maxRows ?? Infinity);
  // a reused page keeps the row order drawn for it: a member's layout holds still between reloads
  const cacheKey = deps.pageCache && pageCacheKey({ page: req.page, variant: req.variant.variant, config: req.variant.config, size: req.size, wanted }, plans);
  const reused = cacheKey !== undefined ? deps.pageCache?.get(member, cacheKey) : undefined;
  if (reused) {
    const { userId, variant, modelVersion, rows } = reused.page;
    // the fields in the order a composed page has them, so both responses read alike
    const page: Page = { pageId: timeOrderedId('pg-', deps.clock()), userId, variant, modelVersion, tookMs: scope.tookMs(), fallbacks: reused.page.fallbacks, rows };
    return { page, member, rowsJson: reused.rowsJson };
  }
  const size = mainSize(member);
  // a member the fit model never saw is fitted by their body (profile attributes), read once per page
  const body = size === undefined ? undefined : await profileForFit(scope, asFitPredictor(deps.models?.current('fit')?.model), deps.memberAttributes);
  const fit = fitFilterFor(deps.models, member, size, () => ({
    filterBelow: deps.settings.fitFilterBelow, boost: deps.settings.fitBoost, ...(body ? { attributes: body } : {}),
    ...(deps.rowCache && size !== undefined ? { cache: deps.rowCache.fitPredictions(member.userId, member.revision, size) } : {}),
  }));

  const rowOrder = req.variant.config.rowOrder ?? template.rowOrder;
  const ordered = rowOrder === 'fixed' ? plans : deps.bandit.order(member.segment, plans, (p) => p.kind);

  const filled: FilledList[] = [];
  let next = 0;
  let rows: PageRow[] = [];
  while (next < ordered.length) {
    const missing = wanted - rows.length;
    if (missing <= 0 || (filled.length > 0 && scope.deadline.remaining() <= RESPONSE_RESERVE_MS)) break;
    const batch = ordered.slice(next, next + missing + SPARE_ROWS);
    next += batch.length;
    const rowStart = scope.deadline.timers.now();
    filled.push(...await Promise.all(batch.map((plan) => scope.fill(plan, ROW_SOURCES[plan.kind], rowStart, { cached: true }))));
    rows = assembleRows(filled, ctx, fit, wanted).slice(0, wanted);
  }
  const fitNote = fitFilterNote(fit);
  if (fitNote) {
    scope.notes.push(fitNote);
    countChain(deps.metrics, FIT_FILTER_KIND, fitNote.used, fitNote.failed);
  }

  const forYou = filled.find((f) => f.plan.kind === 'for-you');
  // the version behind for-you's items (null when a non-model fallback served them)
  const modelVersion = forYou ? forYou.versions[0] ?? null : deps.models?.current(req.variant.config.model)?.version ?? null;
  const page: Page = {
    pageId: timeOrderedId('pg-', deps.clock()), userId: req.userId, variant: req.variant.variant, modelVersion,
    tookMs: scope.tookMs(), fallbacks: scope.notes, rows,
  };
  // a missing fit model holds until a model swap (which the cache key follows): such a page is reused, note and all
  if (cacheKey !== undefined && onlyFitModelMissing(scope.notes)) {
    deps.pageCache?.keep(member, cacheKey, { userId: page.userId, variant: page.variant, modelVersion, fallbacks: [...scope.notes], rows });
  }
  return { page, member };
}

/** The named template; the default `home` when none is stored; VITRINE_PAGE_NOT_FOUND for another unknown name. */
async function findTemplate(merchandising: Merchandising, name: string): Promise<PageTemplate> {
  const stored = await merchandising.template(name);
  if (stored) return stored;
  if (name === 'home') return DEFAULT_HOME_TEMPLATE;
  throw new VitrineError('VITRINE_PAGE_NOT_FOUND', `no page template "${name}"`);
}

/** The carousels the template's curated rows name. */
async function fetchCarousels(merchandising: Merchandising, template: PageTemplate): Promise<Map<string, Carousel>> {
  const ids = new Set(template.rows.flatMap((r) => (r.kind === 'curated' && r.carouselId !== undefined ? [r.carouselId] : [])));
  const found = await Promise.all([...ids].map((id) => merchandising.carousel(id)));
  return new Map(found.filter((c): c is Carousel => c !== undefined).map((c) => [c.id, c]));
}

/** Plans every template row that applies to this member (unknown kinds are skipped). */
function planRows(ctx: PageContext, template: PageTemplate, size: number): RowPlan[] {
  const ordinals = new Map<string, number>();
  const plans: RowPlan[] = [];
  for (const row of template.rows) {
    if (!isRowKind(row.kind)) continue;
    const ordinal = ordinals.get(row.kind) ?? 0;
    ordinals.set(row.kind, ordinal + 1);
    try {
      const plan = ROW_SOURCES[row.kind].plan(ctx, row, ordinal, Math.min(row.size ?? size, size));
      if (plan && !plans.some((p) => p.rowId === plan.rowId)) plans.push(plan);
    } catch {
      // a row that cannot even be planned is left out; the others still make a page
    }
  }
  return plans;
}

/** Filled rows in display order → de-duplicated with the fit filter and boost, trimmed, empty rows dropped. */
function assembleRows(filled: readonly FilledList[], ctx: PageContext, fit: FitFilter, wanted: number): PageRow[] {
  const present = filled.filter((f) => f.fill && f.fill.items.length > 0);
  const { admit } = fit;
  // "Runs true to size for you" is only said to a member who has told us how things fit
  const fitReasons = hasFitHistory(ctx.member);
  if (admit) {
    // the items each shown row is likely to show, predicted in one batch (rejections pull in more, one by
    // one): de-duplicated first, since an item an earlier row claims is never predicted for a later one
    const likely = dedupeRows(present.map((f) => ({ kind: f.plan.kind, items: f.fill?.items ?? [], limit: f.plan.size + WARM_MARGIN })));
    admit.warm(likely.filter((row) => row.length > 0).slice(0, wanted).flat().map((i) => i.itemId));
  }
  const shown = dedupeRows(present.map((f) => ({
    kind: f.plan.kind, items: f.fill?.items ?? [], limit: f.plan.size,
    ...(admit ? { admit: (item: PageItem) => admit(item, fitReasons && FIT_REASON_KINDS.has(f.plan.kind)) } : {}),
  })));
  const rows: PageRow[] = [];
  present.forEach((f, k) => {
    if (shown[k].length === 0) return;
    // a stylist's order stands unless the carousel asks for personalisation
    const fixedOrder = f.plan.kind === 'curated' && !f.plan.carousel?.personalize;
    const row: PageRow = { rowId: f.plan.rowId, kind: f.plan.kind, title: f.fill?.title ?? f.plan.title, items: admit && !fixedOrder ? byScore(shown[k]) : shown[k] };
    const explanation = f.fill?.explanation ?? f.plan.explanation;
    if (explanation) row.explanation = explanation;
    rows.push(row);
  });
  return rows;
}
