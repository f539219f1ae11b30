/**
 * What every read request shares: its deadline, the member's live state (a cold snapshot when the
 * state itself fails or is late), the business filters, the fallback notes, and the way one list is
 * filled through its fallback chain under the row budget.
 */
import type { VitrineConfig } from '../../../core/config.ts';
import { VitrineError } from '../../../core/errors.ts';
import type { AttributeValue } from '../../../core/types.ts';
import type { ImpressionRecord } from '../../../storage/store.ts';
import type { CatalogueView, MemberSnapshot, ModelHandle, ModelManager, OnlineState } from '../../engine/contracts.ts';
import { Deadline, type Timers, withDeadline } from '../../fallback/deadline.ts';
import { causeOf, runFallbackChain, type SourceFailure } from '../../fallback/fallback-chain.ts';
import { countChain, type FallbackMetrics } from '../../fallback/fallback-metrics.ts';
import type { StaticList } from '../../fallback/static-list.ts';
import type { EngagementSignals } from '../learning/engagement-signals.ts';
import { type RowCache, type RowSlot, rowSlot } from '../cache/row-cache.ts';
import { deriveRow, SHARED_MARGIN, type SharedRow, sharedRowKey, type SharedRows } from '../cache/shared-rows.ts';
import type { MemoryCatalogue } from '../../catalogue/catalogue-view.ts';
import { type BusinessFilter, businessFilter } from './filters.ts';
import { type FallbackDeps, rowChain, type StepPicker } from '../../fallback/row-fallbacks.ts';
import { candidatesFor, type PageContext, type RowFill, type RowPlan, type RowSource } from './row-source.ts';
import type { FallbackNote, ResolvedVariant } from '../types.ts';

/** Time kept back from the budget to assemble and send the response. */
export const RESPONSE_RESERVE_MS = 5;

export interface ScopeDeps {
  online: OnlineState;
  catalogue: CatalogueView;
  models: ModelManager | undefined;
  signals: EngagementSignals;
  staticList: StaticList;
  lastPage(userId: string): Promise<ImpressionRecord | null>;
  /** the member's profile attributes (the fit filter reads them for members its model never saw) */
  memberAttributes?(userId: string): Promise<Readonly<Record<string, AttributeValue>> | undefined>;
  /** the member's cached fold-in vector under a model (online state), when it can give one */
  foldIn?: (member: MemberSnapshot, handle: ModelHandle) => Float32Array | undefined;
  settings: VitrineConfig['serving'];
  /** epoch ms */
  clock: () => number;
  timers?: Timers;
  metrics?: FallbackMetrics;
  /** model-driven rows' answers kept per member state (row-cache.ts); none = every row filled afresh */
  rowCache?: RowCache;
  /** moves when what live rows are built on changes (availability, short signal lists); default: never */
  liveRevision?: () => number;
  /** rows that read only the member's sizes, made once for every member with those sizes (shared-rows.ts) */
  sharedRows?: SharedRows;
}

export interface ScopeOptions {
  /** no member: an anonymous request (similar items without a userId) */
  anonymous?: boolean;
  /** sizes to filter by instead of the member's */
  sizes?: readonly string[];
  /** a further filter (a category) */
  also?: (itemId: string) => boolean;
}

export interface FilledList {
  plan: RowPlan;
  fill: RowFill | undefined;
  used: string[];
  failures: SourceFailure[];
  /** model versions behind the served items, primary first */
  versions: string[];
}

/** A snapshot of a member nobody knows (also what a request falls back to when member state fails). */
export function coldMember(userId: string): MemberSnapshot {
  return {
    userId, known: false, sizes: [], preferences: {}, upcoming: [], held: new Set(), returned: new Map(),
    purchased: new Set(), dismissed: new Set(), recent: [], segment: 'new', revision: 0,
  };
}

export class RequestScope {
  readonly deadline: Deadline;
  readonly notes: FallbackNote[] = [];
  member!: MemberSnapshot;
  ctx!: PageContext;
  private lastPage: Promise<ImpressionRecord | null> | undefined;
  /** opened for a member's page or list with their own sizes and no further filter: shared rows apply */
  private plain = false;
  /** the business filter before any further filter (`also`) */
  private business!: BusinessFilter;

  private constructor(readonly userId: string, readonly variant: ResolvedVariant, readonly deps: ScopeDeps) {
    this.deadline = new Deadline(variant.config.budgetMs ?? deps.settings.budgetMs, deps.timers);
  }

  /** Starts a request: its deadline, then the member's state and the filters. */
  static async open(userId: string, variant: ResolvedVariant, deps: ScopeDeps, opts: ScopeOptions = {}): Promise<RequestScope> {
    const scope = new RequestScope(userId, variant, deps);
    scope.member = opts.anonymous
      ? coldMember(userId)
      : await scope.attempt('member-state', () => deps.online.get(userId), 0.5, () => coldMember(userId), 'cold-start');
    const now = deps.clock();
    const business = businessFilter(scope.member, deps.catalogue, now, { returnedWithinDays: deps.settings.returnedWithinDays, sizes: opts.sizes });
    const also = opts.also;
    scope.ctx = {
      member: scope.member, now, catalogue: deps.catalogue, signals: deps.signals, carousels: new Map(), overfetch: deps.settings.overfetch,
      allowed: also ? (id) => also(id) && business(id) : business,
    };
    const { foldIn } = deps;
    if (foldIn) scope.ctx.foldIn = (handle) => foldIn(scope.member, handle);
    scope.plain = !opts.anonymous && !opts.sizes && !also;
    scope.business = business;
    return scope;
  }

  /** Milliseconds a part of the request may take: `share` of what is left after the response reserve. */
  budgetFor(share: number): number {
    return Math.max(0, (this.deadline.remaining() - RESPONSE_RESERVE_MS) * share);
  }

  /**
   * `task` under `share` of the budget; on failure or lateness `otherwise()`, noted as page-level
   * fallback `used`. Client errors (4xx VitrineErrors) propagate.
   */
  async attempt<T>(what: string, task: () => Promise<T>, share: number, otherwise: () => T, used: string): Promise<T> {
    try {
      return await withDeadline(task, this.budgetFor(share), { timers: this.deps.timers });
    } catch (err) {
      if (err instanceof VitrineError && err.status < 500) throw err;
      this.notes.push({ rowId: 'page', kind: what, used: [used], failed: [{ source: what, cause: causeOf(err), message: err instanceof Error ? err.message : String(err) }] });
      return otherwise();
    }
  }

  /** The fallback chain's dependencies for this request (the last page is fetched once, on first need). */
  fallbackDeps(chain: FallbackDeps['chain'] = this.deps.settings.fallbackChain): FallbackDeps {
    return {
      models: this.deps.models, primary: this.variant.config.model, chain, staticList: this.deps.staticList,
      lastPage: () => (this.lastPage ??= this.deps.lastPage(this.userId).catch(() => null)),
    };
  }

  /** Fills one row or list through its chain, within the row budget starting at `rowStart` (timers' clock). */
  async fill(
    plan: RowPlan, source: RowSource, rowStart: number, opts: { chain?: FallbackDeps['chain']; target?: number; cached?: boolean } = {},
  ): Promise<FilledList> {
    const target = opts.target ?? candidatesFor(this.ctx, plan.size);
    const cache = opts.cached && source.cache && !opts.chain ? this.deps.rowCache : undefined;
    const slot = cache && rowSlot(this.member, plan, source.cache === 'shared', target, this.variant.config.model);
    if (cache && slot) {
      const hit = this.fromCache(cache, slot, plan, target, source.cache !== 'stable');
      if (hit) return hit;
    }
    const shared = opts.cached && source.cache === 'shared' && !opts.chain && this.plain ? this.deps.sharedRows : undefined;
    if (shared) {
      const hit = await this.fromShared(shared, plan, source, rowStart, target);
      if (hit) return hit;
    }
    const filled = await this.fillThroughChain(plan, source, rowStart, target, opts.chain);
    if (cache && slot && filled.fill && filled.failures.length === 0 && filled.used.length === 1 && filled.used[0] === 'current-model') {
      const { items, title, explanation } = filled.fill;
      cache.keep(slot.owner, slot.revision, slot.key, {
        madeAt: this.deps.clock(), live: this.liveRevision(), items, used: filled.used, versions: filled.versions, ...(title !== undefined ? { title } : {}), ...(explanation !== undefined ? { explanation } : {}),
      });
    }
    return filled;
  }

  /**
   * The row as cached for this member state, its items re-checked against the business filters;
   * undefined (fill afresh) when none is cached or the filters took away more than a quarter of what
   * was asked for (the spare items de-duplication and the fit filter draw on).
   */
  private fromCache(cache: RowCache, slot: RowSlot, plan: RowPlan, target: number, live: boolean): FilledList | undefined {
    // a live row (back in your size, popular in your size) is made afresh after any restock
    const row = cache.row(slot.owner, slot.revision, slot.key,
      live ? { maxAgeMs: this.deps.settings.rowCacheLiveTtlMs, live: this.liveRevision() } : {});
    if (!row) return undefined;
    const items = row.items.filter((item) => this.ctx.allowed(item.itemId));
    if (items.length < row.items.length && items.length < target - Math.floor(target / 4)) return undefined;
    const fill: RowFill = { items, ...(row.title !== undefined ? { title: row.title } : {}), ...(row.explanation !== undefined ? { explanation: row.explanation } : {}) };
    return { plan, fill, used: [...row.used], failures: [], versions: [...row.versions] };
  }

  /**
   * The row from the one shared by members with these sizes (made now when none holds), passed
   * through this member's filter; undefined when it cannot stand for their own fill (shared-rows.ts).
   */
  private async fromShared(shared: SharedRows, plan: RowPlan, source: RowSource, rowStart: number, target: number): Promise<FilledList | undefined> {
    const nextRelease = (this.deps.catalogue as Partial<MemoryCatalogue>).nextRelease?.bind(this.deps.catalogue);
    const { ownMarks } = this.business;
    // a catalogue that cannot say when time changes it, or a filter without the member's part alone: nothing is shared
    if (!nextRelease || ownMarks === undefined) return undefined;
    const { now } = this.ctx;
    const key = sharedRowKey(plan, this.member.sizes, target, this.variant.config.model);
    let row = shared.get(key, now);
    if (!row) {
      const made = await this.makeShared(plan, source, rowStart, target);
      if (!made) return undefined;
      row = shared.keep(key, made.row, target, now, Math.min(nextRelease(now), made.until));
    }
    const items = deriveRow(row, ownMarks, target);
    if (!items) return undefined;
    const fill: RowFill = { items, ...(row.title !== undefined ? { title: row.title } : {}), ...(row.explanation !== undefined ? { explanation: row.explanation } : {}) };
    return { plan, fill, used: [...row.used], failures: [], versions: [...row.versions] };
  }

  /**
   * The shared row: the current model's answer for a member with only these sizes, SHARED_MARGIN
   * candidates past the target, under half of the row's time (the member's own chain keeps the rest
   * if it fails). Undefined when it fails: nothing is noted, the member's own chain says what failed.
   */
  private async makeShared(plan: RowPlan, source: RowSource, rowStart: number, target: number): Promise<{ row: SharedRow; until: number } | undefined> {
    const { sizes } = this.member;
    const sizesOnly: MemberSnapshot = { ...coldMember(''), sizes };
    const ctx: PageContext = {
      ...this.ctx, member: sizesOnly, overfetch: (target + SHARED_MARGIN) / plan.size,
      allowed: businessFilter(sizesOnly, this.deps.catalogue, this.ctx.now, { returnedWithinDays: this.deps.settings.returnedWithinDays }),
    };
    const asked = candidatesFor(ctx, plan.size);
    const pickers: StepPicker[] = [];
    const { timers } = this.deadline;
    const remainingMs = () => Math.min(rowStart + this.deps.settings.rowBudgetMs - timers.now(), this.deadline.remaining() - RESPONSE_RESERVE_MS) / 2;
    const result = await runFallbackChain(rowChain(ctx, plan, source, this.fallbackDeps(['current-model']), pickers), { remainingMs, target: asked, timers });
    const fill = result.output;
    if (!fill || result.failures.length > 0 || result.used[0] !== 'current-model') return undefined;
    const row: SharedRow = {
      items: fill.items, complete: fill.items.length < asked, byRank: fill.byRank === true, used: result.used,
      versions: pickers.flatMap((p) => p.picker.used),
      ...(fill.title !== undefined ? { title: fill.title } : {}), ...(fill.explanation !== undefined ? { explanation: fill.explanation } : {}),
    };
    return { row, until: fill.until ?? Infinity };
  }

  private async fillThroughChain(plan: RowPlan, source: RowSource, rowStart: number, target: number, chain?: FallbackDeps['chain']): Promise<FilledList> {
    const pickers: StepPicker[] = [];
    const { timers } = this.deadline;
    const remainingMs = () => Math.min(rowStart + this.deps.settings.rowBudgetMs - timers.now(), this.deadline.remaining() - RESPONSE_RESERVE_MS);
    const result = await runFallbackChain(rowChain(this.ctx, plan, source, this.fallbackDeps(chain), pickers), { remainingMs, target, timers });
    countChain(this.deps.metrics, plan.kind, result.used, result.failures);
    if (result.failures.length > 0) this.notes.push({ rowId: plan.rowId, kind: plan.kind, used: result.used, failed: result.failures });
    // the versions of the steps whose items were served (none when a non-model fallback served)
    const versions = pickers.filter((p) => result.used.includes(p.source)).flatMap((p) => p.picker.used);
    return { plan, fill: result.output, used: result.used, failures: result.failures, versions };
  }

  private liveRevision(): number {
    return this.deps.liveRevision?.() ?? 0;
  }

  /** Elapsed time, rounded to 0.1 ms. */
  tookMs(): number {
    return Math.round(this.deadline.elapsed() * 10) / 10;
  }
}
