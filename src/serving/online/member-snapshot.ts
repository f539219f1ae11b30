/** A member's slot read out as the MemberSnapshot the page composer uses. */
import type { UpcomingOccasion } from '../../core/types.ts';
import type { RecentInteraction, MemberSnapshot } from '../engine/contracts.ts';
import { MARK_DISMISSED, MARK_HELD, MARK_PURCHASED, MARK_RETURNED, POSITIVE_WEIGHT, tenureOf, unpackMeta } from './event-signals.ts';
import type { StateCodes } from './member-events.ts';
import { MARKS, RECENT, SIZES, UPCOMING, type MemberTable } from './member-table.ts';

const NO_PREFERENCES = Object.freeze({});

/** The snapshot of the member in `slot` (fresh objects: the caller may keep it). */
export function snapshotOf(table: MemberTable, codes: StateCodes, slot: number, userId: string): MemberSnapshot {
  const held = new Set<string>();
  const returned = new Map<string, number>();
  const purchased = new Set<string>();
  const dismissed = new Set<string>();
  const marks = table.lists.view(slot, MARKS);
  if (marks) {
    for (let j = 0; j < table.lists.length(slot, MARKS); j++) {
      const itemId = codes.items.value(marks.a[marks.base + j]);
      const kind = marks.b[marks.base + j];
      if (kind === MARK_HELD) held.add(itemId);
      else if (kind === MARK_RETURNED) returned.set(itemId, marks.t[marks.base + j]);
      else if (kind === MARK_PURCHASED) purchased.add(itemId);
      else if (kind === MARK_DISMISSED) dismissed.add(itemId);
    }
  }
  const recent: RecentInteraction[] = [];
  const r = table.lists.view(slot, RECENT);
  if (r) {
    for (let j = 0; j < table.lists.length(slot, RECENT); j++) {
      const { type, sizeCode, occasionCode } = unpackMeta(r.b[r.base + j]);
      const entry: RecentInteraction = { itemId: codes.items.value(r.a[r.base + j]), type, ts: r.t[r.base + j], weight: POSITIVE_WEIGHT[type] ?? 0 };
      if (sizeCode >= 0) entry.size = codes.sizes.value(sizeCode);
      if (occasionCode >= 0) entry.occasion = codes.occasions.value(occasionCode);
      recent.push(entry);
    }
  }
  const profile = table.profiles[slot];
  const sizes = profile && profile.sizes.length > 0 ? [...profile.sizes] : learnedSizes(table, codes, slot);
  const last = table.lastEventAt[slot];
  const snapshot: MemberSnapshot = {
    userId,
    known: table.known[slot] === 1,
    sizes,
    preferences: profile?.preferences ?? NO_PREFERENCES,
    upcoming: upcomingOf(table, codes, slot),
    held, returned, purchased, dismissed, recent,
    segment: `size:${sizes[0] ?? 'any'}|tenure:${tenureOf(table.rents[slot])}`,
    revision: table.revision[slot],
    fitReports: table.fitReports[slot],
  };
  if (!Number.isNaN(last)) snapshot.lastEventAt = last;
  return snapshot;
}

function upcomingOf(table: MemberTable, codes: StateCodes, slot: number): UpcomingOccasion[] {
  const v = table.lists.view(slot, UPCOMING);
  const out: UpcomingOccasion[] = [];
  if (v) for (let j = 0; j < table.lists.length(slot, UPCOMING); j++) out.push({ occasion: codes.occasions.value(v.a[v.base + j]), date: v.t[v.base + j] });
  return out;
}

/**
 * Sizes from rentals and fit feedback, most likely first: score = rentals + fit reports − ½ per
 * small/large report; sizes scoring 0 or less are left out; ties keep first-seen order.
 */
export function learnedSizes(table: MemberTable, codes: StateCodes, slot: number): string[] {
  const v = table.lists.view(slot, SIZES);
  if (!v) return [];
  const scored: Array<{ size: string; score: number; order: number }> = [];
  for (let j = 0; j < table.lists.length(slot, SIZES); j++) {
    const score = v.b[v.base + j] + v.t[v.base + j];
    if (score > 0) scored.push({ size: codes.sizes.value(v.a[v.base + j]), score, order: j });
  }
  return scored.sort((x, y) => y.score - x.score || x.order - y.order).map((s) => s.size);
}
