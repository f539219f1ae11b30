/**
 * Rows that read nothing of the member but their sizes (RowSource.cache 'shared': trending, new
 * arrivals, popular in your size), made once per row, size set and model choice and reused by every
 * member with those sizes while what they are made of stands still: the catalogue (item writes,
 * availability), the models, the signal lists, and time (an availableFrom passing, a row's own
 * `until`), for `ttlMs` at most. A shared precomputation, not a per-member cache: members never seen
 * before use it too, so the fresh-page cost counts on it (docs/serving.md, "Rows shared across members").
 *
 * An entry is filled with the business filter of a member without marks (their sizes only) and
 * `SHARED_MARGIN` candidates past the row's target. A member's request passes it through their own
 * whole filter and keeps the first `target` items: exactly the row their own fill would have made,
 * since every shared row is the first passing items of one ranked list. When their marks (held,
 * dismissed, bought, returned) leave fewer than `target` of a list that went on, or none at all, the
 * row is made afresh for them (`derive` says undefined).
 * Trade: a member's trending row may lag the counts by up to `ttlMs` when no list was re-sorted in
 * between (the per-member row cache's shared rows lag the same way: ADR 0007).
 */
import type { CatalogueView, ModelManager } from '../../engine/contracts.ts';
import type { EngagementSignals } from '../learning/engagement-signals.ts';
import { BoundedMap } from './bounded-map.ts';
import type { PageItem } from '../types.ts';

/** candidates made past a row's target, so members' own marks rarely leave it short */
export const SHARED_MARGIN = 20;
// rows kept: row kinds × size sets × model choices (a bound, not a policy)
const MAX_ENTRIES = 2048;

export interface SharedRow {
  items: readonly PageItem[];
  /** the list ran out before the candidates asked for (every passing item is here) */
  complete: boolean;
  /** scores are by rank (1 − k / n): a member's subset is scored again by its own ranks */
  byRank: boolean;
  title?: string;
  explanation?: string;
  used: readonly string[];
  versions: readonly string[];
  /** the row of a member without marks (frozen items), set when kept; undefined when it would be made afresh */
  unmarked?: readonly PageItem[];
}

interface Entry {
  row: SharedRow;
  stamp: string;
  /** epoch ms: valid in [madeAt, until) */
  madeAt: number;
  until: number;
}

export interface SharedRowsOptions {
  ttlMs: number;
  /** what the rows are made of, as one value that moves when any of it does */
  stamp: () => string;
}

export class SharedRows {
  private readonly entries = new BoundedMap<string, Entry>(MAX_ENTRIES);
  private hits = 0;
  private misses = 0;

  constructor(private readonly opts: SharedRowsOptions) {}

  /** The row kept under `key`, if it still holds at `now`. */
  get(key: string, now: number): SharedRow | undefined {
    const e = this.entries.get(key);
    if (e && e.stamp === this.opts.stamp() && now >= e.madeAt && now < e.until) {
      this.hits++;
      return e.row;
    }
    this.misses++;
    return undefined;
  }

  /** Keeps `row` for rows of `target` items, made at `now`, until `until` (or the TTL) at most. */
  keep(key: string, row: SharedRow, target: number, now: number, until: number): SharedRow {
    const kept: SharedRow = { ...row };
    const unmarked = plainRow(row, target);
    if (unmarked) kept.unmarked = unmarked;
    this.entries.set(key, { row: kept, stamp: this.opts.stamp(), madeAt: now, until: Math.min(until, now + this.opts.ttlMs) });
    return kept;
  }

  stats(): { hits: number; misses: number; rows: number } {
    return { hits: this.hits, misses: this.misses, rows: this.entries.size };
  }
}

/**
 * The member's row from a shared one: what passes their own marks (`unmarked`; null: they have none —
 * the catalogue's part of the filter is the row's own, it was made in this catalogue state), the first
 * `target`, re-scored when scored by rank; undefined when it would not be the row their own fill
 * makes (see file comment).
 */
export function deriveRow(row: SharedRow, unmarked: ((itemId: string) => boolean) | null, target: number): PageItem[] | undefined {
  // a member without marks gets the same items as every other such member: made once, frozen, never copied
  if (!unmarked) return row.unmarked ? [...row.unmarked] : undefined;
  return ownRow(row, unmarked, target);
}

/** The row of a member without marks, made once when the row is kept (see SharedRows.keep). */
function plainRow(row: SharedRow, target: number): readonly PageItem[] | undefined {
  const items = ownRow(row, null, target);
  return items && Object.freeze(items.map((item) => Object.freeze(item)));
}

function ownRow(row: SharedRow, unmarked: ((itemId: string) => boolean) | null, target: number): PageItem[] | undefined {
  const mine: PageItem[] = [];
  for (const item of row.items) {
    if (mine.length >= target) break;
    if (!unmarked || unmarked(item.itemId)) mine.push({ ...item });
  }
  if (mine.length === 0 || (mine.length < target && !row.complete)) return undefined;
  if (row.byRank) mine.forEach((item, k) => { item.score = 1 - k / mine.length; });
  return mine;
}

/** The key of a row shared by members with `sizes`. */
export function sharedRowKey(plan: { rowId: string; title: string; seed?: string }, sizes: readonly string[], target: number, primaryModel: string | undefined): string {
  return `${plan.rowId}|${plan.title}|${plan.seed ?? ''}|${sizes.join(',')}|${target}|${primaryModel ?? ''}`;
}

/**
 * The shared rows of a page engine, stamped by what they are made of (item writes, availability, model
 * swaps, short lists growing, any list re-sorted); none when `ttlMs` (serving.rowCacheLiveTtlMs) is 0.
 */
export function createSharedRows(
  ttlMs: number, deps: { catalogue: CatalogueView; models: ModelManager | undefined; signals: EngagementSignals },
): SharedRows | undefined {
  if (ttlMs <= 0) return undefined;
  const { catalogue, models, signals } = deps;
  const stamp = () => `${catalogue.revision ?? -1}|${catalogue.availabilityRevision ?? -1}|${models?.generation ?? -1}|${signals.revision}|${signals.listsVersion}`;
  return new SharedRows({ ttlMs, stamp });
}
