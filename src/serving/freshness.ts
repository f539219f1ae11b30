/**
 * Freshness as a member would feel it: how long an event takes to show on their page if they ask at
 * once. Measured per member as the event's own request (arrival → accepted: durable, and handed to
 * every replica) plus the first page of that member asked for after acceptance (asked → sent). By the
 * freshness invariant (docs/serving.md, ADR 0014) that page reflects the event, and its time includes
 * any wait behind the event in the member's page worker. The member's pause before asking is not
 * counted: it is theirs, not the server's. Cheap: one map entry per member with an unseen event.
 */

/** Members with an event no page has shown yet, at most this many (the oldest is let go first). */
export const MAX_PENDING_MEMBERS = 50_000;

export interface FreshnessOptions {
  /** a monotonic clock in ms (tests drive it by hand); performance.now by default */
  now?: () => number;
  maxPending?: number;
}

export class FreshnessTracker {
  /** member → when their oldest unseen event was accepted and how long its request took, ms */
  private readonly pending = new Map<string, { acceptedAt: number; eventMs: number }>();
  private readonly maxPending: number;
  readonly now: () => number;

  constructor(private readonly observe: (seconds: number) => void, opts: FreshnessOptions = {}) {
    this.now = opts.now ?? (() => performance.now());
    this.maxPending = opts.maxPending ?? MAX_PENDING_MEMBERS;
  }

  /** Events of `userIds` that arrived at `arrivedAt` are accepted now. */
  accepted(userIds: Iterable<string>, arrivedAt: number): void {
    const at = this.now();
    for (const userId of userIds) {
      // the oldest unseen event counts: the page that shows it shows the later ones too
      if (this.pending.has(userId)) continue;
      if (this.pending.size >= this.maxPending) this.pending.delete(this.pending.keys().next().value as string);
      this.pending.set(userId, { acceptedAt: at, eventMs: at - arrivedAt });
    }
  }

  /** A page of `userId` asked for at `askedAt` has been sent. */
  pageSent(userId: string, askedAt: number): void {
    const p = this.pending.get(userId);
    // a page asked for before the event was accepted may not show it: wait for the next one
    if (!p || askedAt < p.acceptedAt) return;
    this.pending.delete(userId);
    this.observe((p.eventMs + (this.now() - askedAt)) / 1000);
  }

  /** Members waiting for a page (for tests and /metrics). */
  get waiting(): number {
    return this.pending.size;
  }
}
