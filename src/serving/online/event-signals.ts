/** What each event type means to a member's online state. */
import { EVENT_TYPES, type EventType } from '../../core/types.ts';

/**
 * Strength of an event as a positive signal (RecentInteraction.weight); types not listed are not
 * positives and never enter the recent list (views and impressions would flood it). Reviews count
 * whatever their rating: the rating scale differs between catalogues (RTR 2-10, MovieLens 0.5-5).
 */
export const POSITIVE_WEIGHT: Readonly<Partial<Record<EventType, number>>> = {
  rent: 1,
  purchase: 1,
  heart: 0.6,
  shortlist: 0.5,
  review: 0.5,
  click: 0.3,
};

/** Events that change nothing a page uses (only lastEventAt); they do not bump the revision. */
export const PASSIVE_TYPES: ReadonlySet<EventType> = new Set(['impression', 'view']);

/** Event type ↔ a 4-bit code (11 types). */
export const TYPE_CODE: Readonly<Record<EventType, number>> = Object.fromEntries(EVENT_TYPES.map((t, i) => [t, i])) as Record<EventType, number>;

/** Item marks (MARKS list entries, field b). */
export const MARK_HELD = 1;
export const MARK_RETURNED = 2;
export const MARK_PURCHASED = 3;
export const MARK_DISMISSED = 4;
/** marks kept per member; past it the oldest non-held mark goes (returns age out of the filter anyway) */
export const MAX_MARKS = 1024;

/** Fit feedback's weight on a size's score: a "fit" report confirms the size, small/large count against it. */
export const FIT_REPORT_SCORE: Readonly<Record<string, number>> = { fit: 1, small: -0.5, large: -0.5 };

/** "new" before the first rental, "regular" up to 4, "loyal" from 5: the tenure part of a bandit segment. */
export function tenureOf(rents: number): string {
  return rents === 0 ? 'new' : rents < 5 ? 'regular' : 'loyal';
}

// recent entries pack type, size and occasion codes into one int32: 4 + 14 + 13 bits
const SIZE_LIMIT = (1 << 14) - 1;
const OCCASION_LIMIT = (1 << 13) - 1;

/**
 * The recent-entry meta of an event: its type, and size and occasion codes + 1 (0 = none).
 * TODO(memory): a catalogue with more than 16,382 size labels or 8,190 occasions loses the rest in
 * recent entries (they read as "none"); no real catalogue comes close.
 */
export function packMeta(type: EventType, sizeCode: number, occasionCode: number): number {
  const s = sizeCode >= 0 && sizeCode < SIZE_LIMIT ? sizeCode + 1 : 0;
  const o = occasionCode >= 0 && occasionCode < OCCASION_LIMIT ? occasionCode + 1 : 0;
  return TYPE_CODE[type] | (s << 4) | (o << 18);
}

/** The parts of a packed meta: type code, size code (-1 none), occasion code (-1 none). */
export function unpackMeta(meta: number): { type: EventType; sizeCode: number; occasionCode: number } {
  return { type: EVENT_TYPES[meta & 15], sizeCode: ((meta >>> 4) & SIZE_LIMIT) - 1, occasionCode: ((meta >>> 18) & OCCASION_LIMIT) - 1 };
}
