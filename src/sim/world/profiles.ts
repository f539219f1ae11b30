/**
 * World profiles (issue 21, "any shop's events"): the same simulated members and catalogue, told as
 * the business each kind of customer runs, so that tests and benchmarks cover each shape of data.
 * - `rental`: today's fashion-rental world (sizes, rentals, returns with fit and rating, purchases);
 * - `shop`: a plain shop — no sizes; a rental is a purchase, returns and buy-outs do not exist;
 *   impressions, views, clicks, hearts and dismisses stay;
 * - `media`: ratings and long histories — no sizes; members come 3× as often and hold a title one
 *   day, and what they took they rate: each return or buy-out becomes a `review` with its rating
 *   (2–10), the only positive.
 * Deterministic by seed like the rental world (a pure mapping of its events; media changes activity
 * before the history runs).
 */
import type { EventType } from '../../core/types.ts';
import type { WorldItem } from './catalogue.ts';
import type { WorldEvent } from './history-state.ts';

export const WORLD_PROFILES = ['rental', 'shop', 'media'] as const;
export type WorldProfile = (typeof WORLD_PROFILES)[number];

/** How many times as often a media member visits (long histories); activity stays ≤ MAX_ACTIVITY. */
export const MEDIA_ACTIVITY_FACTOR = 3;
const MAX_ACTIVITY = 1.5;

/** A member's visit rate under `profile`. */
export function profileActivity(profile: WorldProfile, activity: number): number {
  return profile === 'media' ? Math.min(MAX_ACTIVITY, activity * MEDIA_ACTIVITY_FACTOR) : activity;
}

/** Days an item is held under `profile` (undefined: the rental world's own draw). */
export function profileLoanDays(profile: WorldProfile): number | undefined {
  return profile === 'media' ? 1 : undefined;
}

/** A catalogue record under `profile` (no sizes outside rental). */
export function profileItem(profile: WorldProfile, item: WorldItem): WorldItem {
  return profile === 'rental' ? item : { ...item, sizes: {} };
}

/** One day's events under `profile`, in the same order (dropped ones leave gaps in the ids). */
export function profileEvents(profile: WorldProfile, batch: readonly WorldEvent[]): WorldEvent[] {
  if (profile === 'rental') return batch as WorldEvent[];
  const out: WorldEvent[] = [];
  for (const e of batch) {
    const type = profiledType(profile, e.type);
    if (type === undefined) continue;
    // sizes, fit, occasions and the rental's fee belong to the rental business
    const { size: _size, fit: _fit, rating, occasion: _occasion, value: _value, ...rest } = e;
    const mapped: WorldEvent = { ...rest, type };
    if (type === 'review' && rating !== undefined) mapped.rating = rating;
    out.push(mapped);
  }
  return out;
}

/** The type an event of the rental world becomes, undefined when the profile has no such event. */
function profiledType(profile: Exclude<WorldProfile, 'rental'>, type: EventType): EventType | undefined {
  if (profile === 'shop') {
    if (type === 'rent') return 'purchase';
    return type === 'return' || type === 'purchase' ? undefined : type;
  }
  if (type === 'return' || type === 'purchase') return 'review';
  return type === 'rent' ? undefined : type;
}
