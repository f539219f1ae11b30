/**
 * The member's last composed page, reused while nothing it was made from has moved (ADR 0007): the
 * member's state revision, the serving generation (model swaps, item writes), the catalogue's
 * live revision (a sell-out or restock anywhere, a short trending or occasion list gaining an item), the page's shape (variant and its config, size,
 * rows wanted, the planned rows with titles and curated contents), and an age under `ttlMs` (the live
 * rows' bound: trending and size counts). A reused page keeps the row order the bandit drew for it, so
 * a member's layout holds still for up to `ttlMs` between reloads (the bandit still learns from every
 * serving: it gets a new pageId and is logged and counted like any other). Pages with a fallback
 * are never kept, but for a missing fit model (fit-filter.ts): that lasts until a model swap, and the
 * reused page lists it again.
 */
import type { MemberSnapshot } from '../../engine/contracts.ts';
import { BoundedMap } from './bounded-map.ts';
import { ttlScale } from './row-cache.ts';
import type { RowPlan } from '../compose/row-source.ts';
import type { Page } from '../types.ts';

/** A composed page without what each serving of it gets afresh. */
export type ReusablePage = Omit<Page, 'pageId' | 'tookMs'>;

interface Entry {
  key: string;
  revision: number;
  generation: number;
  live: number;
  /** epoch ms */
  madeAt: number;
  /** the share of ttlMs this page lives (TTL jitter) */
  ttlScale: number;
  page: ReusablePage;
  /** the rows as JSON, made on the first reuse (the response is this with a fresh head) */
  rowsJson?: string;
}

export interface ReusedPage {
  page: ReusablePage;
  rowsJson: string;
}

export interface PageCacheOptions {
  members: number;
  ttlMs: number;
  /** moves on every model swap and item write */
  generation: () => number;
  /** moves on every availability change and whenever a short signal list gains an item */
  live: () => number;
  /** epoch ms */
  clock: () => number;
  /** each page lives (1 − jitter … 1] × ttlMs (serving.cacheTtlJitter; default 0) */
  jitter?: number;
  /** uniform in [0, 1): the jitter's draws (tests pin it) */
  random?: () => number;
}

export class PageCache {
  private readonly entries: BoundedMap<string, Entry>;
  private hits = 0;
  private misses = 0;

  constructor(private readonly opts: PageCacheOptions) {
    this.entries = new BoundedMap(opts.members);
  }

  /** The member's page for this key if it is still what composing would give, else undefined. */
  get(member: MemberSnapshot, key: string): ReusedPage | undefined {
    const e = this.entries.get(member.userId);
    const fresh = e !== undefined && e.key === key && e.revision === member.revision && e.generation === this.opts.generation()
      && e.live === this.opts.live() && this.opts.clock() - e.madeAt < this.opts.ttlMs * e.ttlScale;
    if (!fresh) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    e.rowsJson ??= JSON.stringify(e.page.rows);
    return { page: e.page, rowsJson: e.rowsJson };
  }

  /** Keeps a composed page (no fallback but a missing fit model). Its rows are shared by later servings: never mutate them. */
  keep(member: MemberSnapshot, key: string, page: ReusablePage): void {
    this.entries.set(member.userId, {
      key, revision: member.revision, generation: this.opts.generation(), live: this.opts.live(), madeAt: this.opts.clock(),
      ttlScale: ttlScale(this.opts.jitter, this.opts.random), page,
    });
  }

  /** Drops the member's page (DELETE /v1/users: nothing of theirs stays in memory). */
  forget(userId: string): void {
    this.entries.delete(userId);
  }

  stats(): { hits: number; misses: number; members: number } {
    return { hits: this.hits, misses: this.misses, members: this.entries.size };
  }
}

/** What a page's rows depend on beyond the member's state and the serving counters. */
export function pageCacheKey(opts: { variant: string; config: unknown; size: number; wanted: number; page: string }, ordered: readonly RowPlan[]): string {
  const rows = ordered.map((p) => {
    const c = p.carousel;
    return c ? `${p.rowId}\u0001${p.title}\u0001${c.personalize ? 1 : 0}\u0001${c.itemIds.join(',')}` : `${p.rowId}\u0001${p.title}`;
  });
  return `${opts.page}\u0002${opts.variant}\u0002${JSON.stringify(opts.config)}\u0002${opts.size}\u0002${opts.wanted}\u0002${rows.join('\u0002')}`;
}
