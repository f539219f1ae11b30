/**
 * Per-member cache of what a page's model-driven rows came back with (ADR 0007): the candidates a
 * row's primary source answered, and the fit predictions made for the member, kept while nothing
 * they depend on changes. An entry is valid only for the member's state revision it was made at (any
 * event the member sends moves it) and the serving generation (a model swap, a catalogue write), and only for `ttlMs` (bounds what neither counter sees: items whose
 * availableFrom arrives, returns that leave the N-day window); rows built on live counts or
 * availability are kept for a shorter time the caller gives, and only while the live revision
 * (availability changes, short signal lists gaining items) stands. Business filters are re-applied on every
 * hit, so an item that sold out in the member's size since is still never served.
 *
 * Fit predictions are the exception to the revision rule: the fit model answers from its own trained
 * tables for (member, item, size), nothing of the online state, so they are carried across the
 * member's events (a rent, a heart) while the generation and the size asked for stand. The page right
 * after a rent then predicts only the items it has not shown before (bench/serve-inproc.ts --after-event).
 *
 * Only answers from the current models without any failure are kept: a fallback is never cached, so
 * a failing model is retried on the next page.
 * Trade: repeat views cost a fraction of a fill; a member's rows may lag shared counts and restocks
 * by the live TTL, and everything else that moves with time alone by ttlMs.
 */
import { BoundedMap } from './bounded-map.ts';
import { FitPredictionTable } from '../compose/fit-prediction-table.ts';
import { type PackedItems, packItems, unpackItems } from '../compose/packed-items.ts';
import type { PageItem } from '../types.ts';

export interface CachedRow {
  /** epoch ms */
  madeAt: number;
  /** the live revision when made (availability, short signal lists: live rows check it) */
  live: number;
  items: readonly PageItem[];
  title?: string;
  explanation?: string;
  used: readonly string[];
  versions: readonly string[];
  /** the share of a TTL this row lives, (1 − jitter … 1]: set by the cache when kept */
  ttlScale?: number;
}

/** A row as kept: its candidates packed (packed-items.ts). */
type KeptRow = Omit<CachedRow, 'items'> & { packed: PackedItems };

interface Entry {
  revision: number;
  generation: number;
  /** epoch ms */
  madeAt: number;
  /** the share of ttlMs this entry lives (TTL jitter) */
  ttlScale: number;
  rows: Map<string, KeptRow>;
  fit: FitPredictionTable;
  /** the size the fit predictions are for */
  fitSize?: string;
}

/** a member's carried fit predictions are dropped past this many (a very active member's grow with every page) */
export const MAX_FIT_PREDICTIONS = 2_000;

export interface RowCacheOptions {
  /** members kept (least recently stored forgotten first) */
  members: number;
  ttlMs: number;
  /** the serving generation: moves on every model swap and catalogue write */
  generation: () => number;
  /** epoch ms */
  clock: () => number;
  /** each entry and row lives (1 − jitter … 1] × its TTL (serving.cacheTtlJitter; default 0) */
  jitter?: number;
  /** uniform in [0, 1): the jitter's draws (tests pin it) */
  random?: () => number;
}

export interface RowCacheStats {
  hits: number;
  misses: number;
  members: number;
}

export class RowCache {
  private readonly entries: BoundedMap<string, Entry>;
  private hits = 0;
  private misses = 0;
  private readonly missesByKind = new Map<string, number>();

  constructor(private readonly opts: RowCacheOptions) {
    this.entries = new BoundedMap(opts.members);
  }

  /** The member's entry for this revision and generation, made afresh when stale or absent. */
  private entry(userId: string, revision: number, create: boolean): Entry | undefined {
    const generation = this.opts.generation();
    const now = this.opts.clock();
    const found = this.entries.get(userId);
    if (found && found.revision === revision && found.generation === generation && now - found.madeAt < this.opts.ttlMs * found.ttlScale) return found;
    if (!create) return undefined;
    const carry = found && found.generation === generation && found.fit.size <= MAX_FIT_PREDICTIONS;
    const fresh: Entry = {
      revision, generation, madeAt: now, ttlScale: this.ttlScale(), rows: new Map(),
      fit: carry ? found.fit : new FitPredictionTable(), ...(carry && found.fitSize !== undefined ? { fitSize: found.fitSize } : {}),
    };
    this.entries.set(userId, fresh);
    return fresh;
  }

  /** A cached row for this member state, no older than `maxAgeMs` and, when given, made at this live revision. */
  row(userId: string, revision: number, key: string, opts: { maxAgeMs?: number; live?: number } = {}): CachedRow | undefined {
    const found = this.entry(userId, revision, false)?.rows.get(key);
    const fresh = found && this.opts.clock() - found.madeAt < (opts.maxAgeMs ?? Infinity) * (found.ttlScale ?? 1)
      && (opts.live === undefined || found.live === opts.live);
    if (fresh) {
      this.hits++;
      const { packed, ...rest } = found;
      return { ...rest, items: unpackItems(packed) };
    }
    this.misses++;
    const kind = rowKindOf(key);
    this.missesByKind.set(kind, (this.missesByKind.get(kind) ?? 0) + 1);
    return undefined;
  }

  /** Keeps a row answered for this member state. */
  keep(userId: string, revision: number, key: string, row: CachedRow): void {
    const { items, ...rest } = row;
    this.entry(userId, revision, true)?.rows.set(key, { ...rest, packed: packItems(items), ttlScale: this.ttlScale() });
  }

  private ttlScale(): number {
    return ttlScale(this.opts.jitter, this.opts.random);
  }

  /** The member's fit predictions in `size` (filled by the fit admitter as it predicts), kept across their events. */
  fitPredictions(userId: string, revision: number, size: string): FitPredictionTable {
    const entry = this.entry(userId, revision, true) as Entry;
    if (entry.fitSize !== size) {
      entry.fit = new FitPredictionTable();
      entry.fitSize = size;
    }
    return entry.fit;
  }

  /** Drops the member's rows (both of their entries) and fit predictions (DELETE /v1/users). */
  forget(userId: string): void {
    this.entries.delete(userId);
    this.entries.delete(sharedRowsOwner(userId));
  }

  stats(): RowCacheStats {
    return { hits: this.hits, misses: this.misses, members: this.entries.size };
  }

  /** Misses so far by row kind (the key's leading row id up to ':' or '|'): which rows are being made afresh. */
  missesPerKind(): ReadonlyMap<string, number> {
    return this.missesByKind;
  }
}

/** Where a row's answer is kept: whose entry, at which revision, under which key. */
export interface RowSlot {
  owner: string;
  revision: number;
  key: string;
}

/**
 * The slot of a row for this member: what its answer depends on beyond the generation. A 'shared' row
 * (it reads nothing of the member but their sizes) lives in a second entry of the member's that their
 * own events do not move, keyed by their sizes; so each member may take two of `members` entries.
 * TODO(shared rows): with rows shared across members on (shared-rows.ts: serving.rowCacheLiveTtlMs > 0,
 * the default) a page's shared rows are answered there first and never reach this entry; it serves only
 * when sharing is off or a member's marks leave the shared row short. Drop it once that is settled.
 */
export function rowSlot(
  member: { userId: string; revision: number; sizes: readonly string[] },
  plan: { rowId: string; title: string; seed?: string },
  shared: boolean, target: number, primaryModel: string | undefined,
): RowSlot {
  const tail = `${target}|${primaryModel ?? ''}`;
  return shared
    ? { owner: sharedRowsOwner(member.userId), revision: 0, key: `${plan.rowId}|${plan.title}|${plan.seed ?? ''}|${member.sizes.join(',')}|${tail}` }
    : { owner: member.userId, revision: member.revision, key: `${plan.rowId}|${tail}` };
}

/** The entry holding a member's shared rows (rowSlot). */
function sharedRowsOwner(userId: string): string {
  return `${userId}\u0000across-events`;
}

/** A share of a TTL drawn uniformly from (1 − jitter, 1]: never longer than the TTL, never below 1 − jitter of it. */
export function ttlScale(jitter = 0, random: () => number = Math.random): number {
  return jitter > 0 ? 1 - jitter * random() : 1;
}

const rowKindOf = (key: string): string => /^[^:|]*/.exec(key)?.[0] ?? '';
