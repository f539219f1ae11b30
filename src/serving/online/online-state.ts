/**
 * Online member state: what serving knows about each member right now. A member is read from the
 * store on first access (hydration) and then kept current by every accepted event, applied in order
 * before any page asked for after the event's 200 (docs/serving.md § Freshness; ADR 0014). Events for members
 * not in memory are skipped: the store already holds them, and hydration replays them through the
 * same code. At most `capacity` members are held; the least recently used leave first.
 */
import type { VitrineEvent } from '../../core/types.ts';
import type { Store } from '../../storage/store.ts';
import type { MemberSnapshot, ModelHandle, OnlineState } from '../engine/contracts.ts';
import { FIT_REPORT_SCORE } from './event-signals.ts';
import { FoldInCache } from './fold-in-cache.ts';
import { Interner } from './interner.ts';
import { applyEventToSlot, countSize, reconcileHeld, setUpcoming, type StateCodes } from './member-events.ts';
import { loadMemberHistory, type MemberHistory } from './member-history.ts';
import { snapshotOf } from './member-snapshot.ts';
import { MemberTable } from './member-table.ts';
import { ProfileInterner } from './profile-interner.ts';

export interface OnlineStateOptions {
  /** members held in memory at most (serving.memberStateCap) */
  capacity: number;
  /** positives kept per member, newest first (serving.recentPerMember) */
  recentLimit: number;
  /** events read from the store to hydrate a member (serving.hydrateEvents) */
  hydrateEvents: number;
  /** members whose fold-in vectors are cached (serving.foldInCacheSize) */
  foldInCacheSize: number;
}

interface Hydration {
  done: Promise<number | undefined>;
  /** events accepted while the store was being read */
  buffered: VitrineEvent[];
  cancelled: boolean;
}

export class MemberStateStore implements OnlineState {
  private readonly table: MemberTable;
  private readonly codes: StateCodes = { items: new Interner(), sizes: new Interner(), occasions: new Interner() };
  private readonly profiles = new ProfileInterner();
  private readonly hydrations = new Map<string, Hydration>();
  private readonly foldIns: FoldInCache;
  private revisions = 0;

  constructor(private readonly store: Store, private readonly opts: OnlineStateOptions) {
    this.table = new MemberTable(opts.capacity);
    this.foldIns = new FoldInCache(opts.foldInCacheSize);
  }

  /** The member's snapshot, hydrated from the store on first access. */
  async get(userId: string): Promise<MemberSnapshot> {
    // a member evicted again before this call resumes (a tiny capacity under load) is read once more
    for (let attempt = 0; attempt < 3; attempt++) {
      const slot = this.table.slotOf(userId);
      if (slot !== undefined) {
        this.table.touch(slot);
        return snapshotOf(this.table, this.codes, slot, userId);
      }
      const installed = await this.hydrate(userId);
      if (installed === undefined) break; // forgotten while being read
      if (this.table.holds(installed, userId)) return snapshotOf(this.table, this.codes, installed, userId);
    }
    return coldSnapshot(userId);
  }

  /** Applies accepted events to the members in memory (the replica hands them over; synchronous). */
  apply(events: readonly VitrineEvent[]): void {
    for (const e of events) {
      const slot = this.table.slotOf(e.userId);
      if (slot !== undefined) this.applyTo(slot, e);
      else this.hydrations.get(e.userId)?.buffered.push(e);
    }
  }

  /** Re-reads the member's profile after PUT /v1/users (no-op for members not in memory). */
  async applyProfile(userId: string): Promise<void> {
    await this.hydrations.get(userId)?.done;
    const slot = this.table.slotOf(userId);
    if (slot === undefined) return;
    const user = await this.store.getUser(userId);
    if (this.table.slotOf(userId) !== slot) return; // forgotten or evicted meanwhile
    this.table.profiles[slot] = user ? this.profiles.intern(user) : undefined;
    setUpcoming(this.table, this.codes, slot, user?.upcoming ?? []);
    if (user) this.table.known[slot] = 1;
    this.table.revision[slot] = ++this.revisions;
  }

  /** Drops the member (DELETE /v1/users): from memory, from a hydration under way, from the vector cache. */
  forget(userId: string): void {
    this.table.remove(userId);
    const pending = this.hydrations.get(userId);
    if (pending) pending.cancelled = true;
    this.foldIns.forget(userId);
  }

  /** True when the member's state is in memory. */
  has(userId: string): boolean {
    return this.table.slotOf(userId) !== undefined;
  }

  /** Members held in memory. */
  size(): number {
    return this.table.size;
  }

  /** The member's fold-in vector under a model (cached); undefined when the model cannot give one. */
  foldIn(snapshot: MemberSnapshot, handle: ModelHandle): Float32Array | undefined {
    return this.foldIns.vectorFor(snapshot, handle);
  }

  /** Memory report: members, interned strings, bytes of packed lists, cached vectors. */
  stats(): { members: number; items: number; listBytes: number; foldInVectors: number; hydrating: number } {
    return {
      members: this.table.size, items: this.codes.items.size, listBytes: this.table.lists.arena.bytes(),
      foldInVectors: this.foldIns.size, hydrating: this.hydrations.size,
    };
  }

  /** Builds a member straight from history already read (bulk warm-up, benchmarks); replaces one in memory. */
  load(userId: string, history: MemberHistory): void {
    this.table.remove(userId);
    this.install(userId, history, []);
  }

  private applyTo(slot: number, e: VitrineEvent): void {
    const changed = applyEventToSlot(this.table, this.codes, slot, e, { recentLimit: this.opts.recentLimit, countAggregates: true });
    if (changed) this.table.revision[slot] = ++this.revisions;
    this.table.touch(slot);
  }

  private hydrate(userId: string): Promise<number | undefined> {
    const running = this.hydrations.get(userId);
    if (running) return running.done;
    const h: Hydration = { buffered: [], cancelled: false, done: Promise.resolve(undefined) };
    h.done = loadMemberHistory(this.store, userId, this.opts.hydrateEvents)
      .then((history) => (h.cancelled ? undefined : this.install(userId, history, h.buffered)))
      .finally(() => this.hydrations.delete(userId));
    this.hydrations.set(userId, h);
    return h.done;
  }

  /** Puts a member read from the store in memory, then replays events accepted while it was read. */
  private install(userId: string, history: MemberHistory, buffered: readonly VitrineEvent[]): number {
    const { slot, evicted } = this.table.add(userId);
    if (evicted !== undefined) this.foldIns.forget(evicted);
    const { table, codes } = this;
    table.profiles[slot] = history.user ? this.profiles.intern(history.user) : undefined;
    setUpcoming(table, codes, slot, history.user?.upcoming ?? []);
    table.known[slot] = history.user || history.events.length > 0 ? 1 : 0;
    const agg = history.aggregates;
    const opts = { recentLimit: this.opts.recentLimit, countAggregates: agg === undefined };
    for (const e of history.events) applyEventToSlot(table, codes, slot, e, opts);
    if (agg) {
      table.rents[slot] = agg.stats.rents;
      table.fitReports[slot] = 0;
      table.lastEventAt[slot] = agg.stats.lastEventAt ?? NaN;
      for (const [size, p] of Object.entries(agg.sizeProfile)) {
        const fitScore = p.fit * FIT_REPORT_SCORE.fit + p.small * FIT_REPORT_SCORE.small + p.large * FIT_REPORT_SCORE.large;
        if (p.rents > 0 || p.small + p.fit + p.large > 0) countSize(table, codes.sizes.code(size), p.rents, fitScore, slot);
        table.fitReports[slot] += p.small + p.fit + p.large;
      }
      reconcileHeld(table, slot, new Set(agg.held.map((id) => codes.items.code(id))));
    }
    table.revision[slot] = ++this.revisions;
    const seen = new Set(history.events.map((e) => e.id));
    for (const e of buffered) if (!seen.has(e.id)) this.applyTo(slot, e);
    return slot;
  }
}

/** A member the store does not know: no profile, no history. */
function coldSnapshot(userId: string): MemberSnapshot {
  return {
    userId, known: false, sizes: [], preferences: {}, upcoming: [], held: new Set(), returned: new Map(),
    purchased: new Set(), dismissed: new Set(), recent: [], segment: 'size:any|tenure:new', revision: 0,
  };
}
