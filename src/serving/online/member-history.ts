/**
 * What hydrating a member reads from the store: the profile and the newest events (in time order, to
 * be replayed through the same code as live events). When the member has more events than the window,
 * the aggregates that need all of them — held items, size profile, rental count — come from the store.
 */
import type { SizeProfileEntry, StoredEvent, User, UserStats } from '../../core/types.ts';
import type { Store } from '../../storage/store.ts';

export interface MemberHistory {
  user: User | null;
  /** oldest first (ts, then arrival) */
  events: StoredEvent[];
  /** set when the window did not reach the first event */
  aggregates?: { held: string[]; sizeProfile: Record<string, SizeProfileEntry>; stats: UserStats };
}

/** Reads a member's profile and newest `window` events (+ aggregates when there are more). */
export async function loadMemberHistory(store: Store, userId: string, window: number): Promise<MemberHistory> {
  const [user, newestFirst] = await Promise.all([store.getUser(userId), store.userEvents(userId, { limit: window + 1 })]);
  const truncated = newestFirst.length > window;
  const events = (truncated ? newestFirst.slice(0, window) : newestFirst).sort((a, b) => a.ts - b.ts || a.seq - b.seq);
  if (!truncated) return { user, events };
  const [held, sizeProfile, stats] = await Promise.all([store.heldItems(userId), store.sizeProfile(userId), store.userStats(userId)]);
  return { user, events, aggregates: { held, sizeProfile, stats } };
}
