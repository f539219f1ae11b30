/**
 * The mutable state of a world's history as it is simulated day by day (who holds what, who has
 * left, today's events) and the two actions shared by visits and the day loop: emitting an event
 * and closing a rental (a return, or a purchase) with the member's fit feedback and rating.
 */
import type { EventType, Fit } from '../../core/types.ts';
import { fitFeedback, purchaseProbability, ratingFor } from './behaviour.ts';
import type { Catalogue } from './catalogue.ts';
import type { Members } from './members.ts';
import type { Rng } from './rng.ts';
import type { Shelf } from './shelf.ts';
import { SIZE_CHART } from './size-chart.ts';
import { OCCASIONS } from './archetypes.ts';

/** One line of events.jsonl: an API event with an ISO timestamp. */
export interface WorldEvent {
  id: string;
  type: EventType;
  userId: string;
  itemId?: string;
  ts: string;
  size?: string;
  fit?: Fit;
  rating?: number;
  value?: number;
  occasion?: string;
  context?: { pageId: string; rowId: string; position: number };
}

/** An event of today, before it is sorted and given its id and ISO timestamp. */
export interface DraftEvent {
  ms: number;
  event: WorldEvent;
}

/** An item a member holds. */
export interface Rental {
  member: number;
  item: number;
  /** chart index */
  size: number;
  /** index into OCCASIONS */
  occasion: number;
  affinity: number;
  /** true once returned or bought (e.g. early, when the member cancels) */
  closed: boolean;
}

export interface HistoryState {
  readonly cat: Catalogue;
  readonly members: Members;
  readonly shelf: Shelf;
  readonly startMs: number;
  readonly days: number;
  readonly impressionsPerVisit: number;
  /** days an item is held before it goes back; undefined: each rental's own draw (media: 1, profiles.ts) */
  readonly loanDays?: number;
  /** rentals each member holds now */
  readonly held: Rental[][];
  /** rentals due back on each day */
  readonly dueByDay: Rental[][];
  /** units returned late in a day go back on the shelf the next morning */
  readonly restockTomorrow: Rental[];
  readonly frustration: Float32Array;
  /** epoch ms of cancellation, NaN while a member */
  readonly churnedAt: Float64Array;
  /** today's events */
  readonly out: DraftEvent[];
}

/** Appends an event of today and returns it (id and ts are filled when the day is sorted). */
export function emit(s: HistoryState, ms: number, type: EventType, member: number, item: number): WorldEvent {
  const event: WorldEvent = item < 0
    ? { id: '', type, userId: s.members.records[member].id, ts: '' }
    : { id: '', type, userId: s.members.records[member].id, itemId: s.cat.records[item].id, ts: '' };
  s.out.push({ ms, event });
  return event;
}

/**
 * Ends a rental at `ms`: the member reports fit and rating, and either buys the item (with a
 * probability that rises with how much they liked it) or returns it. A returned unit goes back on
 * the shelf now or, when returned late in the day, tomorrow (so stock never runs ahead of time).
 */
export function closeRental(s: HistoryState, rental: Rental, ms: number, rng: Rng, restockNow: boolean): void {
  const { member, item, size } = rental;
  rental.closed = true;
  const held = s.held[member];
  held.splice(held.indexOf(rental), 1);
  const fit = fitFeedback(s.members.trueSize[member], size, s.cat.sizeOffset[item], rng);
  const rating = ratingFor(rental.affinity, s.cat.appeal[item], fit, rng);
  const bought = rng.chance(purchaseProbability(rental.affinity, fit));
  const event = emit(s, ms, bought ? 'purchase' : 'return', member, item);
  event.size = SIZE_CHART[size];
  event.fit = fit;
  event.rating = rating;
  if (bought) event.value = Math.round(s.cat.price[item] * 0.5);
  event.occasion = OCCASIONS[rental.occasion];
  if (bought) return;
  if (restockNow) s.shelf.restock(item, size);
  else s.restockTomorrow.push(rental);
}
