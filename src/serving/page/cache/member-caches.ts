/**
 * The per-member caches of a page engine (ADR 0007) wired to what invalidates them: the serving
 * generation (model swaps, item writes) and the live revision (availability changes, short signal
 * lists gaining items), with their hit counts on /metrics.
 */
import { Gauge, type Registry } from 'prom-client';
import type { VitrineConfig } from '../../../core/config.ts';
import type { CatalogueView, ModelManager } from '../../engine/contracts.ts';
import type { EngagementSignals } from '../learning/engagement-signals.ts';
import { PageCache } from './page-cache.ts';
import { RowCache } from './row-cache.ts';

export interface PageCaches {
  rowCache: RowCache;
  pageCache: PageCache;
  /** the live revision (the row cache's live rows check it too) */
  live: () => number;
}

/** The caches, or undefined when serving.rowCacheMembers (or a TTL) is 0. */
export function createPageCaches(
  settings: VitrineConfig['serving'],
  deps: { catalogue: CatalogueView; models: ModelManager | undefined; signals: EngagementSignals; clock: () => number; registry: Registry },
): PageCaches | undefined {
  if (settings.rowCacheMembers <= 0 || settings.rowCacheTtlMs <= 0) return undefined;
  const { catalogue, models, signals, clock } = deps;
  // both counters of each only grow, so their sum moves whenever either does
  const generation = () => (catalogue.revision ?? 0) + (models?.generation ?? 0);
  const live = () => (catalogue.availabilityRevision ?? 0) + signals.revision;
  const jitter = settings.cacheTtlJitter;
  const rowCache = new RowCache({ members: settings.rowCacheMembers, ttlMs: settings.rowCacheTtlMs, clock, generation, jitter });
  const pageCache = new PageCache({
    members: settings.rowCacheMembers, ttlMs: Math.min(settings.rowCacheTtlMs, settings.rowCacheLiveTtlMs), clock, generation, live, jitter,
  });
  new Gauge({
    name: 'vitrine_page_cache_lookups', help: 'Lookups since start in the per-member caches (cache: page, row), by result (hit, miss)',
    labelNames: ['cache', 'result'] as const, registers: [deps.registry],
    collect() {
      for (const [cache, s] of [['page', pageCache.stats()], ['row', rowCache.stats()]] as const) {
        this.set({ cache, result: 'hit' }, s.hits);
        this.set({ cache, result: 'miss' }, s.misses);
      }
    },
  });
  new Gauge({
    name: 'vitrine_row_cache_misses', help: 'Row-cache misses since start by row kind: rows made afresh from their source',
    labelNames: ['kind'] as const, registers: [deps.registry],
    collect() {
      for (const [kind, n] of rowCache.missesPerKind()) this.set({ kind }, n);
    },
  });
  return { rowCache, pageCache, live };
}
