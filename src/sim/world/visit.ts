/**
 * One visit of one member: a page of impressions drawn from the shelf, then for each item a view
 * (likelier the closer it is to their taste), maybe a heart, maybe a rent in a size that is free and
 * fits, or a dismiss; at the end the visit's disappointment feeds the member's churn hazard.
 */
import { DAY_MS } from '../../core/time.ts';
import { OCCASIONS } from './archetypes.ts';
import {
  churnProbability, dismissProbability, heartProbability, LIKE_THRESHOLD, MAX_HELD, nextFrustration,
  rentalDays, rentProbability, viewProbability,
} from './behaviour.ts';
import { closeRental, emit, type HistoryState, type WorldEvent } from './history-state.ts';
import type { Rng } from './rng.ts';
import type { Shelf } from './shelf.ts';
import { SIZE_CHART, SIZE_COUNT } from './size-chart.ts';
import { affinity } from './style-space.ts';

/** Relative traffic by hour of day (UTC): nobody shops between midnight and 6, evenings are busiest. */
const HOUR_WEIGHTS = [0, 0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 4, 4, 3, 3, 3, 4, 5, 6, 7, 7, 5, 3];
/** Chance a member tries a size next to their usual one (e.g. down a size for an item that runs large). */
const SIZE_EXPLORE = 0.1;
/** Days before an upcoming occasion during which items for it are more tempting. */
const OCCASION_LEAD_DAYS = 30;
/** rentProbability's occasionBoost for an item that suits the member's upcoming occasion. */
export const OCCASION_BOOST = 1;

/**
 * What the size and occasion choices read: the catalogue, the members and the free units. Narrower
 * than HistoryState so that the closed-loop simulator (src/sim/simulate) makes the same choices.
 */
export type ChoiceState = Pick<HistoryState, 'cat' | 'members'> & { readonly shelf: Pick<Shelf, 'free'> };

/** Simulates member `m` visiting on `day`; appends the events to `s.out`. */
export function simulateVisit(s: HistoryState, m: number, day: number, rng: Rng): void {
  const { cat, members, shelf } = s;
  if (shelf.size === 0) return;
  const dayStart = s.startMs + day * DAY_MS;
  const dayEnd = dayStart + DAY_MS - 1;
  let t = dayStart + rng.weightedIndex(HOUR_WEIGHTS) * 3_600_000 + rng.int(3_600_000);
  // events of a visit are seconds apart; the clamp keeps a late visit inside its day (files are sorted per day)
  const next = (): number => (t = Math.min(dayEnd, t + 5_000 + rng.int(40_000)));

  const held = s.held[m];
  const slate: number[] = [];
  const sources: string[] = [];
  for (let attempt = 0; slate.length < s.impressionsPerVisit && attempt < 4 * s.impressionsPerVisit; attempt++) {
    const { item, source } = shelf.sample(members.taste, m, rng);
    if (slate.includes(item) || held.some((r) => r.item === item)) continue;
    slate.push(item);
    sources.push(source);
  }
  const pageId = `p${day}-${members.records[m].id}`;
  const withContext = (e: WorldEvent, pos: number): WorldEvent => {
    e.context = { pageId, rowId: sources[pos], position: pos };
    return e;
  };
  for (let pos = 0; pos < slate.length; pos++) withContext(emit(s, t, 'impression', m, slate[pos]), pos);

  let bestAffinity = 0;
  for (let pos = 0; pos < slate.length; pos++) {
    const i = slate[pos];
    const aff = affinity(members.taste, m, cat.style, i);
    bestAffinity = Math.max(bestAffinity, aff);
    if (!rng.chance(viewProbability(aff, cat.appeal[i], shelf.season[i], shelf.isNew(i)))) {
      if (rng.chance(dismissProbability(aff))) withContext(emit(s, next(), 'dismiss', m, i), pos);
      continue;
    }
    withContext(emit(s, next(), 'view', m, i), pos);
    if (rng.chance(heartProbability(aff, cat.appeal[i]))) withContext(emit(s, next(), 'heart', m, i), pos);
    if (held.length >= MAX_HELD) continue;
    const occasion = rentOccasion(s, m, i, day, rng);
    const boost = occasion === members.upcomingOccasion[m] && occasionIsNear(s, m, day) ? OCCASION_BOOST : 0;
    if (!rng.chance(rentProbability(aff, cat.appeal[i], shelf.season[i], boost))) continue;
    const size = chooseSize(s, m, i, rng);
    if (size < 0 || !shelf.take(i, size)) continue;
    const rent = emit(s, next(), 'rent', m, i);
    rent.size = SIZE_CHART[size];
    rent.value = Math.round(cat.price[i] * 0.12);
    rent.occasion = OCCASIONS[occasion];
    withContext(rent, pos);
    const rental = { member: m, item: i, size, occasion, affinity: aff, closed: false };
    held.push(rental);
    const drawn = rentalDays(rng); // drawn whatever the profile, so that the member's random stream stays the same
    const due = day + (s.loanDays ?? drawn);
    if (due < s.days) s.dueByDay[due].push(rental);
  }

  s.frustration[m] = nextFrustration(s.frustration[m], bestAffinity >= LIKE_THRESHOLD);
  if (!rng.chance(churnProbability(members.hazard[m], s.frustration[m]))) return;
  // cancelling: what the member holds goes back first, then the membership ends
  for (const rental of [...held]) closeRental(s, rental, next(), rng, false);
  s.churnedAt[m] = next() + 1;
}

/**
 * The size a member rents an item in, -1 when none is free: their usual size first, then their other
 * listed size; sometimes they size down for an item that runs large (or up for one that runs small).
 */
export function chooseSize(s: ChoiceState, m: number, item: number, rng: Rng): number {
  const primary = s.members.listedSizes[m * 2];
  const secondary = s.members.listedSizes[m * 2 + 1];
  if (rng.chance(SIZE_EXPLORE)) {
    const offset = s.cat.sizeOffset[item];
    const step = offset > 0.3 ? -1 : offset < -0.3 ? 1 : rng.chance(0.5) ? 1 : -1;
    const tried = primary + step;
    if (tried >= 0 && tried < SIZE_COUNT && tried !== secondary && s.shelf.free(item, tried) > 0) return tried;
  }
  if (s.shelf.free(item, primary) > 0) return primary;
  if (secondary >= 0 && s.shelf.free(item, secondary) > 0) return secondary;
  return -1;
}

/** What the member would rent this item for: their upcoming occasion when it suits, else a likely one. */
export function rentOccasion(s: ChoiceState, m: number, item: number, day: number, rng: Rng): number {
  const suits = s.cat.occasions[item];
  const upcoming = s.members.upcomingOccasion[m];
  if (upcoming >= 0 && occasionIsNear(s, m, day) && suits.includes(upcoming)) return upcoming;
  const weights = Array.from(suits, (o) => s.members.occasionWeights[m * OCCASIONS.length + o] + 0.05);
  return suits[rng.weightedIndex(weights)];
}

/** True when the member's upcoming occasion is 0–OCCASION_LEAD_DAYS days after `day`. */
export function occasionIsNear(s: Pick<HistoryState, 'members'>, m: number, day: number): boolean {
  const until = s.members.upcomingDay[m] - day;
  return s.members.upcomingOccasion[m] >= 0 && until >= 0 && until <= OCCASION_LEAD_DAYS;
}
