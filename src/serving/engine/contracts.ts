/**
 * The contracts between the serving engine's parts, so they can be built and tested separately:
 * online member state, the in-memory catalogue view, the model manager, merchandising config.
 * The page composer depends on these interfaces only.
 */
import type { EventType, Item, UpcomingOccasion, UserPreferences, VitrineEvent } from '../../core/types.ts';
import type { Model } from '../../ml/model.ts';

// ── online member state ─────────────────────────────────────────────────────
export interface RecentInteraction {
  itemId: string;
  type: EventType;
  ts: number;
  /** strength as a positive signal (rent 1, heart 0.6, click 0.3 …); 0 for non-positives */
  weight: number;
  size?: string;
  occasion?: string;
}

/** What serving knows about a member right now; every accepted event is in it before the next page asked for after the event's 200 (ADR 0014). */
export interface MemberSnapshot {
  userId: string;
  /** false for a member with no profile and no events (cold start) */
  known: boolean;
  /** profile sizes, else sizes learned from rentals/fit feedback, most likely first */
  sizes: string[];
  preferences: UserPreferences;
  upcoming: UpcomingOccasion[];
  /** rented and not yet returned */
  held: ReadonlySet<string>;
  /** item → ts of its last return (filtered for N days) */
  returned: ReadonlyMap<string, number>;
  purchased: ReadonlySet<string>;
  dismissed: ReadonlySet<string>;
  /** positives, newest first, at most ~200 (what fold-in and "because you liked" use) */
  recent: readonly RecentInteraction[];
  /** ts of the member's last event, or undefined */
  lastEventAt?: number;
  /** fit reports (small / fit / large, with a size) the member gave; a fit reason "for you" needs one */
  fitReports?: number;
  /** bandit segment, e.g. "size:8|tenure:new" */
  segment: string;
  /** increments on every change (cache key) */
  revision: number;
}

export interface OnlineState {
  /** The member's snapshot, hydrated from the store on first access. */
  get(userId: string): Promise<MemberSnapshot>;
  /**
   * Applies accepted events (the replica hands them over, in order). In process it is synchronous, so
   * a read queued after them sees them; Redis (ADR 0022) resolves its promise once applied, and the
   * caller awaits it before the event's 200.
   */
  apply(events: readonly VitrineEvent[]): void | Promise<void>;
  /** Applies a profile change (PUT /v1/users). */
  applyProfile(userId: string): Promise<void>;
  forget(userId: string): void | Promise<void>;
  /** members held in memory */
  size(): number;
}

// ── catalogue view ──────────────────────────────────────────────────────────
export interface CatalogueView {
  get(itemId: string): Item | undefined;
  /** not retired, not a placeholder, available from `now` on */
  isRecommendable(itemId: string, now: number): boolean;
  /** at least one unit in one of `sizes`; true when `sizes` is empty (sizes unknown) or the item is unsized */
  hasUnitsIn(itemId: string, sizes: readonly string[]): boolean;
  /** newest first by availableFrom/createdAt */
  newest(n: number, now: number): string[];
  /** item ids by category */
  byCategory(category: string): readonly string[];
  /** true when the item's units in `size` went from none to some while this view watched (a restock: "back in your size") */
  restockedIn?(itemId: string, size: string): boolean;
  size(): number;
  /** keeps the view current on catalogue writes */
  upsert(item: Item): void;
  /** `isRecommendable && hasUnitsIn(sizes)` as one fast predicate for a request, when the view can give one */
  servableIn?(sizes: readonly string[], now: number): (itemId: string) => boolean;
  /** moves on every item write (not on availability changes): what a cached page row depends on */
  readonly revision?: number;
  /** moves on every availability change: what a cached row built on availability depends on */
  readonly availabilityRevision?: number;
}

// ── models ──────────────────────────────────────────────────────────────────
export interface ModelHandle {
  version: string;
  algorithm: string;
  model: Model;
}

export interface ModelManager {
  /** the active model of an algorithm (or of the primary algorithm when omitted) */
  current(algorithm?: string): ModelHandle | undefined;
  /** the version active before the current one, kept loaded for the fallback chain */
  previous(algorithm?: string): ModelHandle | undefined;
  /** algorithm used for `for-you` unless a variant config says otherwise */
  readonly primaryAlgorithm: string;
  /** loads the registry's active versions (start-up, after training, after activate/rollback) */
  reload(): Promise<void>;
  /** moves on every swap of a current or previous model */
  readonly generation?: number;
}
