/**
 * One event applied to one member's slot: the incremental form of core/member-derived.ts. Rent and
 * return compare timestamps, so events that arrive out of order end in the state their time order
 * gives (a return stamped before its rent does not end the rental).
 */
import type { UpcomingOccasion, VitrineEvent } from '../../core/types.ts';
import {
  FIT_REPORT_SCORE, MARK_DISMISSED, MARK_HELD, MARK_PURCHASED, MARK_RETURNED, MAX_MARKS, packMeta, PASSIVE_TYPES,
  POSITIVE_WEIGHT, TYPE_CODE,
} from './event-signals.ts';
import type { Interner } from './interner.ts';
import { MARKS, RECENT, SIZES, UPCOMING, type MemberTable } from './member-table.ts';

// dated occasions kept per member (onboarding rarely names more than a few)
const MAX_UPCOMING = 64;

export interface StateCodes {
  items: Interner;
  sizes: Interner;
  occasions: Interner;
}

export interface ApplyOptions {
  /** positives kept, newest first */
  recentLimit: number;
  /** false when the rental count and size profile come from the store's aggregates instead (hydration) */
  countAggregates: boolean;
}

/** Applies `e` to the member in `slot`; true when something a page uses changed. */
export function applyEventToSlot(table: MemberTable, codes: StateCodes, slot: number, e: VitrineEvent, opts: ApplyOptions): boolean {
  // the member's last action, as the store's stats count it (an impression is what they were shown);
  // NaN (no event yet) compares false
  if (e.type !== 'impression' && !(table.lastEventAt[slot] >= e.ts)) table.lastEventAt[slot] = e.ts;
  let changed = table.known[slot] === 0;
  table.known[slot] = 1;
  if (opts.countAggregates && e.size !== undefined && (e.type === 'rent' || e.fit !== undefined)) {
    countSize(table, codes.sizes.code(e.size), e.type === 'rent' ? 1 : 0, e.fit ? FIT_REPORT_SCORE[e.fit] : 0, slot);
    changed = true;
  }
  if (opts.countAggregates && e.type === 'rent') table.rents[slot]++;
  if (opts.countAggregates && e.size !== undefined && e.fit !== undefined) table.fitReports[slot]++;
  if (PASSIVE_TYPES.has(e.type) || e.itemId === undefined) return changed;

  const item = codes.items.code(e.itemId);
  const weight = POSITIVE_WEIGHT[e.type];
  if (weight !== undefined) {
    const meta = packMeta(e.type, e.size === undefined ? -1 : codes.sizes.code(e.size),
      e.occasion === undefined ? -1 : codes.occasions.code(e.occasion));
    insertRecent(table, slot, item, meta, e.ts, opts.recentLimit);
  }
  switch (e.type) {
    case 'rent': {
      const returned = findMark(table, slot, item, MARK_RETURNED);
      if (returned < 0 || markTs(table, slot, returned) <= e.ts) setMark(table, slot, item, MARK_HELD, e.ts);
      break;
    }
    case 'return':
      endRental(table, slot, item, e.ts);
      setMark(table, slot, item, MARK_RETURNED, e.ts);
      break;
    case 'purchase':
      endRental(table, slot, item, e.ts);
      setMark(table, slot, item, MARK_PURCHASED, e.ts);
      break;
    case 'unheart':
      removeRecent(table, slot, item, TYPE_CODE.heart, e.ts);
      break;
    case 'dismiss':
      setMark(table, slot, item, MARK_DISMISSED, e.ts);
      break;
    default:
      break;
  }
  return true;
}

/** Newest first; an event as old as the newest entry goes before it (it arrived later). */
function insertRecent(table: MemberTable, slot: number, item: number, meta: number, ts: number, limit: number): void {
  const n = table.lists.length(slot, RECENT);
  const v = table.lists.view(slot, RECENT);
  let at = 0;
  if (v) while (at < n && v.t[v.base + at] > ts) at++;
  table.lists.insert(slot, RECENT, at, item, meta, ts, limit);
}

/** Drops the item's recent entries of type `typeCode` stamped at or before `ts` (an unheart undoes hearts). */
function removeRecent(table: MemberTable, slot: number, item: number, typeCode: number, ts: number): void {
  for (let j = table.lists.length(slot, RECENT) - 1; j >= 0; j--) {
    const v = table.lists.view(slot, RECENT);
    if (v && v.a[v.base + j] === item && (v.b[v.base + j] & 15) === typeCode && v.t[v.base + j] <= ts) {
      table.lists.removeAt(slot, RECENT, j);
    }
  }
}

function endRental(table: MemberTable, slot: number, item: number, ts: number): void {
  const held = findMark(table, slot, item, MARK_HELD);
  if (held >= 0 && markTs(table, slot, held) <= ts) table.lists.removeAt(slot, MARKS, held);
}

function findMark(table: MemberTable, slot: number, item: number, kind: number): number {
  const v = table.lists.view(slot, MARKS);
  if (!v) return -1;
  const n = table.lists.length(slot, MARKS);
  for (let j = 0; j < n; j++) if (v.a[v.base + j] === item && v.b[v.base + j] === kind) return j;
  return -1;
}

function markTs(table: MemberTable, slot: number, index: number): number {
  const v = table.lists.view(slot, MARKS);
  return v ? v.t[v.base + index] : NaN;
}

/** Adds the mark, or moves its ts forward when it exists. */
function setMark(table: MemberTable, slot: number, item: number, kind: number, ts: number): void {
  const j = findMark(table, slot, item, kind);
  if (j >= 0) {
    const v = table.lists.view(slot, MARKS);
    if (v && v.t[v.base + j] < ts) v.t[v.base + j] = ts;
    return;
  }
  if (table.lists.length(slot, MARKS) >= MAX_MARKS) dropOldestMark(table, slot);
  table.lists.push(slot, MARKS, item, kind, ts, MAX_MARKS);
}

function dropOldestMark(table: MemberTable, slot: number): void {
  const v = table.lists.view(slot, MARKS);
  if (!v) return;
  let oldest = -1;
  for (let j = 0; j < table.lists.length(slot, MARKS); j++) {
    if (v.b[v.base + j] !== MARK_HELD && (oldest < 0 || v.t[v.base + j] < v.t[v.base + oldest])) oldest = j;
  }
  table.lists.removeAt(slot, MARKS, oldest < 0 ? 0 : oldest);
}

/** SIZES entries: a = size code, b = rentals in it, t = fit-report score. */
export function countSize(table: MemberTable, sizeCode: number, rents: number, fitScore: number, slot: number): void {
  const v = table.lists.view(slot, SIZES);
  const n = table.lists.length(slot, SIZES);
  if (v) {
    for (let j = 0; j < n; j++) {
      if (v.a[v.base + j] === sizeCode) {
        v.b[v.base + j] += rents;
        v.t[v.base + j] += fitScore;
        return;
      }
    }
  }
  table.lists.push(slot, SIZES, sizeCode, rents, fitScore, 1024);
}

/** Makes the held marks exactly `items` (codes); an added one gets ts 0 (rented before the loaded window). */
export function reconcileHeld(table: MemberTable, slot: number, items: ReadonlySet<number>): void {
  const present = new Set<number>();
  for (let j = table.lists.length(slot, MARKS) - 1; j >= 0; j--) {
    const v = table.lists.view(slot, MARKS);
    if (!v || v.b[v.base + j] !== MARK_HELD) continue;
    const item = v.a[v.base + j];
    if (items.has(item)) present.add(item);
    else table.lists.removeAt(slot, MARKS, j);
  }
  for (const item of items) if (!present.has(item)) setMark(table, slot, item, MARK_HELD, 0);
}

/** Replaces the member's dated occasions (PUT /v1/users): UPCOMING entries, a = occasion code, t = date. */
export function setUpcoming(table: MemberTable, codes: StateCodes, slot: number, upcoming: readonly UpcomingOccasion[]): void {
  while (table.lists.length(slot, UPCOMING) > 0) table.lists.removeAt(slot, UPCOMING, table.lists.length(slot, UPCOMING) - 1);
  for (const u of upcoming.slice(0, MAX_UPCOMING)) table.lists.push(slot, UPCOMING, codes.occasions.code(u.occasion), 0, u.date, MAX_UPCOMING);
}
