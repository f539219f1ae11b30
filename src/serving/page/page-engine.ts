/**
 * The page engine, one per replica: it answers pages (compose/compose-page.ts) and lists (lists/)
 * from the page and list dependencies (online state, catalogue, models, merchandising, engagement
 * signals, the row-order bandit, the static list, fallback metrics); learns from the accepted events
 * the replica hands it (onEvents: signals and the bandit); and after a page is sent counts its
 * impressions and logs it.
 */
import { createSharedRows, type SharedRows } from './cache/shared-rows.ts';
import type { VitrineConfig } from '../../core/config.ts';
import type { VitrineEvent } from '../../core/types.ts';
import { PendingRequests } from '../../core/pending-requests.ts';
import type { ImpressionRecord, Store } from '../../storage/store.ts';
import type { CatalogueView, MemberSnapshot, ModelHandle, ModelManager, OnlineState } from '../engine/contracts.ts';
import type { Timers } from '../fallback/deadline.ts';
import { impressionRecordOf, recordImpressions } from '../experiments/record-impression.ts';
import { createFallbackMetrics, type FallbackMetrics } from '../fallback/fallback-metrics.ts';
import { StaticList } from '../fallback/static-list.ts';
import { Counter, type Registry } from 'prom-client';
import { VitrineError } from '../../core/errors.ts';
import { BoundedMap } from './cache/bounded-map.ts';
import { composePage, type PageDeps } from './compose/compose-page.ts';
import { EngagementSignals } from './learning/engagement-signals.ts';
import type { PageCache } from './cache/page-cache.ts';
import { createPageCaches } from './cache/member-caches.ts';
import type { RowCache } from './cache/row-cache.ts';
import { RowOrderBandit } from './learning/row-order-bandit.ts';
import { listRecommendations } from './lists/list-recommendations.ts';
import type { ItemList, ListQuery } from './lists/list-types.ts';
import { occasionItems } from './lists/occasion-items.ts';
import { rankItems } from './lists/rank-items.ts';
import { similarItems } from './lists/similar-items.ts';
import { isRowKind, type Merchandising, NO_EXPERIMENT, type Page, type ResolvedVariant } from './types.ts';

const ENGAGEMENTS: ReadonlySet<string> = new Set(['click', 'heart', 'shortlist', 'rent', 'purchase']);
// pages remembered to attribute clicks and rents to the segment they were served to
const PAGES_REMEMBERED = 100_000;
// pages logged at once at most: bounds one transaction, whatever serving.impressionFlushMs allows
const MAX_LOG_BATCH = 500;
// members forgotten lately, remembered so that a page begun before the forget is never logged after it
const FORGETS_REMEMBERED = 10_000;

export interface PageEngineOptions {
  config: Readonly<VitrineConfig>;
  store: Store;
  online: OnlineState & { foldIn?(member: MemberSnapshot, handle: ModelHandle): Float32Array | undefined };
  catalogue: CatalogueView;
  models: ModelManager | undefined;
  merchandising: Merchandising & { resolveVariant?(userId: string): Promise<ResolvedVariant> };
  registry: Registry;
  /** epoch ms */
  clock: () => number;
  timers?: Timers;
  /** the bandit's uniform source (tests) */
  random?: () => number;
  /** logs the pages served in one turn of the event loop (recordImpressions); default: the store's impression records only */
  logImpressions?: (records: ReadonlyArray<ImpressionRecord>) => Promise<void>;
  warn?: (message: string, err?: unknown) => void;
}

export class PageEngine {
  readonly signals: EngagementSignals;
  readonly bandit: RowOrderBandit;
  readonly metrics: FallbackMetrics;
  readonly deps: PageDeps;
  /** model-driven rows kept per member state (undefined when serving.rowCacheMembers is 0) */
  readonly rowCache: RowCache | undefined;
  /** members' last pages (undefined when serving.rowCacheMembers is 0) */
  readonly pageCache: PageCache | undefined;
  /** rows shared by members with the same sizes (undefined when serving.rowCacheLiveTtlMs is 0) */
  readonly sharedRows: SharedRows | undefined;
  private readonly pageSegments = new BoundedMap<string, string>(PAGES_REMEMBERED);
  private readonly hydration = new AbortController();
  /**
   * records of the pages served and not yet logged (served → flushServed, on a timer, a full batch or
   * close): records, not pages, so that a page's items die with its response (impressionRecordOf)
   */
  private unlogged: ImpressionRecord[] = [];
  /**
   * log batches being committed (a forget waits for them). Not a Set: its tables, rehashed every few
   * batches, got the batches' pages promoted (core/pending-requests.ts)
   */
  private readonly logging = new PendingRequests<Promise<void>>();
  /** pages begun so far; a forget remembers the count, and pages begun up to it are not logged */
  private pagesBegun = 0;
  private readonly forgotten = new BoundedMap<string, number>(FORGETS_REMEMBERED);
  /** page records the store refused because it is full (store.maxSizeBytes) */
  private readonly dropped: Counter;
  private dropping = false;
  private logTimer: NodeJS.Timeout | undefined;
  private seeded: Promise<void> = Promise.resolve();
  private readonly warn: (message: string, err?: unknown) => void;

  constructor(private readonly opts: PageEngineOptions) {
    const settings = opts.config.serving;
    this.signals = new EngagementSignals(settings.trendingHalfLifeDays);
    this.bandit = new RowOrderBandit({ priorStrength: settings.banditPriorStrength, random: opts.random });
    this.metrics = createFallbackMetrics(opts.registry);
    this.dropped = new Counter({
      name: 'vitrine_page_records_dropped_total', registers: [opts.registry],
      help: 'Served pages whose record the store refused because it is full (page records stop first: store.maxSizeBytes)',
    });
    this.warn = opts.warn ?? (() => undefined);
    const { online, store, catalogue, models } = opts;
    const caches = createPageCaches(settings, { catalogue, models, signals: this.signals, clock: opts.clock, registry: opts.registry });
    // rows that read only sizes, made once for every member with those sizes: not a per-member cache (shared-rows.ts)
    const sharedRows = createSharedRows(settings.rowCacheLiveTtlMs, { catalogue, models, signals: this.signals });
    this.sharedRows = sharedRows;
    this.rowCache = caches?.rowCache;
    this.pageCache = caches?.pageCache;
    this.deps = {
      online, catalogue: opts.catalogue, models: opts.models, merchandising: opts.merchandising, settings, clock: opts.clock,
      timers: opts.timers, metrics: this.metrics, signals: this.signals, bandit: this.bandit,
      staticList: new StaticList(() => opts.catalogue, settings.staticItems),
      lastPage: (userId) => store.lastImpression(userId),
      memberAttributes: async (userId) => (await store.getUser(userId))?.attributes,
      ...(caches ? { rowCache: caches.rowCache, pageCache: caches.pageCache, liveRevision: caches.live } : {}),
      ...(sharedRows ? { sharedRows } : {}),
      ...(online.foldIn ? { foldIn: (member: MemberSnapshot, handle: ModelHandle) => online.foldIn?.(member, handle) } : {}),
    };
  }

  /** Seeds the signals from the stored log in the background (accepted events come through onEvents). */
  start(): void {
    const limit = this.opts.config.serving.signalsScanLimit;
    if (limit > 0) {
      this.seeded = this.signals.hydrate(this.opts.store, limit, this.hydration.signal)
        .then(() => undefined, (err: unknown) => this.warn('could not seed trending and occasion counts from the event log', err));
    }
  }

  /** Resolves when the start-up scan seeding trending and occasion counts is over (benchmarks wait for it). */
  signalsSeeded(): Promise<void> {
    return this.seeded;
  }

  /** Stops background work and logs the pages still waiting for their record. */
  close(): Promise<void> {
    this.hydration.abort();
    return this.flushServed();
  }

  /** The member's experiment variant; no experiment when it cannot be told. */
  async variantOf(userId: string): Promise<ResolvedVariant> {
    try {
      return (await this.opts.merchandising.resolveVariant?.(userId)) ?? NO_EXPERIMENT;
    } catch (err) {
      this.warn('could not resolve the experiment variant', err);
      return NO_EXPERIMENT;
    }
  }

  /** The member's page, composed (compose-page.ts) for their experiment variant and counted as served. */
  async servePage(userId: string, query: { page: string; rows: number; size: number }): Promise<{ page: Page; rowsJson?: string }> {
    const begun = ++this.pagesBegun;
    const variant = await this.variantOf(userId);
    const { page, member, rowsJson } = await composePage({ userId, ...query, variant }, this.deps);
    this.served(page, member, begun);
    return rowsJson === undefined ? { page } : { page, rowsJson };
  }

  /** One of the one-list read endpoints, for the member's experiment variant when one is named. */
  async serveList(query: ListQuery): Promise<ItemList> {
    const deps = this.deps;
    const variant = query.userId === undefined ? NO_EXPERIMENT : await this.variantOf(query.userId);
    switch (query.list) {
      case 'recommendations': return listRecommendations({ ...query, userId: query.userId, variant }, deps);
      case 'similar': return similarItems({ ...query, variant }, deps);
      case 'rank': return rankItems({ ...query, userId: query.userId, variant }, deps);
      case 'occasion': return occasionItems({ ...query, variant }, deps);
    }
  }

  /**
   * After a page is sent: the bandit counts its rows as shown, and the page is logged without delaying
   * anyone — with every other page served in the next serving.impressionFlushMs (or, at 0, the same
   * turn of the event loop), in one store transaction. Per turn, at 1,000 pages/s most transactions
   * held one or two pages, and the log cost 0.17 ms of the ~0.45 ms of CPU a reused page takes.
   * Trade: the "last page served" fallback may read the page before this one for that long.
   * A page begun (`begun`, from servePage) before its member was forgotten is not logged.
   */
  served(page: Page, member: MemberSnapshot, begun?: number): void {
    this.bandit.recordImpressions(member.segment, page.rows.map((r) => r.kind));
    this.pageSegments.set(page.pageId, member.segment);
    const forgottenAt = this.forgotten.get(page.userId);
    if (forgottenAt !== undefined && (begun === undefined || begun <= forgottenAt)) {
      // composed from what was forgotten meanwhile: neither logged nor kept
      this.pageCache?.forget(page.userId);
      this.rowCache?.forget(page.userId);
      return;
    }
    this.unlogged.push(impressionRecordOf(page, this.opts.clock()));
    if (this.unlogged.length >= MAX_LOG_BATCH) void this.flushServed();
    else if (this.unlogged.length === 1) this.scheduleLog();
  }

  private scheduleLog(): void {
    const ms = this.opts.config.serving.impressionFlushMs;
    if (ms <= 0) {
      setImmediate(() => void this.flushServed());
      return;
    }
    this.logTimer = setTimeout(() => void this.flushServed(), ms);
    this.logTimer.unref(); // close() logs the rest
  }

  /** Accepted events (the replica hands them over after the member state): trending and occasion counts, and the bandit's clicks and rents by row. */
  onEvents(events: readonly VitrineEvent[]): void {
    this.signals.add(events);
    for (const e of events) {
      const rowId = e.context?.rowId;
      if (!rowId || !ENGAGEMENTS.has(e.type)) continue;
      const kind = rowId.split(':')[0];
      if (!isRowKind(kind)) continue;
      const segment = e.context?.pageId ? this.pageSegments.get(e.context.pageId) : undefined;
      this.bandit.recordEngagement(segment, kind);
    }
  }

  /**
   * Forgets a member (DELETE /v1/users): their cached page and rows go, their pages not yet logged are
   * dropped, pages begun before now are never logged, and it resolves once the batches being committed are (the caller then
   * deletes what they wrote).
   */
  async forgetServed(userId: string): Promise<void> {
    this.pageCache?.forget(userId);
    this.rowCache?.forget(userId);
    this.forgotten.set(userId, this.pagesBegun);
    this.unlogged = this.unlogged.filter((record) => record.userId !== userId);
    await Promise.all([...this.logging.values()]);
  }

  /** Logs the pages served and not yet logged, now (reports that read the log call it first); never rejects. */
  flushServed(): Promise<void> {
    if (this.logTimer) clearTimeout(this.logTimer);
    this.logTimer = undefined;
    const pages = this.unlogged;
    if (pages.length === 0) return Promise.resolve();
    this.unlogged = [];
    const log = this.opts.logImpressions ? this.opts.logImpressions(pages) : recordImpressions(this.opts.store, pages, { itemEvents: false });
    const logged = log.then(() => {
      this.dropping = false;
    }, (err: unknown) => this.logFailed(pages, err));
    const id = this.logging.add(logged);
    void logged.finally(() => this.logging.take(id));
    return logged;
  }

  /** A full store drops page records first (counted, warned about once per episode); other failures are warned about. */
  private logFailed(pages: ReadonlyArray<ImpressionRecord>, err: unknown): void {
    if (err instanceof VitrineError && err.code === 'VITRINE_STORE_FULL') {
      this.dropped.inc(pages.length);
      if (!this.dropping) this.warn('the store is full: served pages are no longer logged (store.maxSizeBytes; docs/operations.md § Store size)', err);
      this.dropping = true;
      return;
    }
    this.warn(`could not log ${pages.length} served page(s), ${pages[0]?.pageId} first`, err);
  }
}
