/**
 * Members held in memory as slots of typed-array columns (a struct of arrays), at most `capacity` of
 * them: adding one more evicts the least recently used. A member costs ~50 bytes of id table
 * (id-table.ts: its id's characters and a bucket, outside the JS heap), ~40 bytes of columns, a
 * profile reference and its list entries (packed-lists.ts) — not a graph of JS objects.
 */
import type { UserPreferences } from '../../core/types.ts';
import { IdTable } from './id-table.ts';
import { PackedLists } from './packed-lists.ts';
import { grownFloat64, grownInt32, grownUint8 } from './typed-growth.ts';

/**
 * What a member said at onboarding (PUT /v1/users), shared between members when equal; their dated
 * occasions are personal, so they live in the slot's UPCOMING list instead.
 */
export interface MemberProfile {
  sizes: readonly string[];
  preferences: UserPreferences;
}

/** The lists of a slot. */
export const RECENT = 0;
export const MARKS = 1;
export const SIZES = 2;
/** a = occasion code, t = its date */
export const UPCOMING = 3;
const LISTS_PER_SLOT = 4;

export class MemberTable {
  readonly lists = new PackedLists(LISTS_PER_SLOT);
  /** the state's version: a process-wide counter stamped on every change, so never reused (cache key) */
  revision: Float64Array = new Float64Array(0);
  /** ts of the last event; NaN when none */
  lastEventAt: Float64Array = new Float64Array(0);
  /** rentals ever (tenure) */
  rents: Int32Array = new Int32Array(0);
  /** fit reports given (sized small / fit / large feedback) */
  fitReports: Int32Array = new Int32Array(0);
  /** 1 when the store knows the member (a profile or an event) */
  known: Uint8Array = new Uint8Array(0);
  readonly profiles: Array<MemberProfile | undefined> = [];

  private readonly ids = new IdTable();
  private readonly freeSlots: number[] = [];
  private used = 0;
  // the LRU order as a doubly-linked list over slots: `newest` was touched last
  private prev: Int32Array = new Int32Array(0);
  private next: Int32Array = new Int32Array(0);
  private newest = -1;
  private oldest = -1;

  constructor(readonly capacity: number) {}

  /** The member's slot, or undefined when not in memory. */
  slotOf(userId: string): number | undefined {
    return this.ids.get(userId);
  }

  /** True when `slot` holds `userId` (no string made). */
  holds(slot: number, userId: string): boolean {
    return this.ids.holds(slot, userId);
  }

  /** The id of the member in `slot`. */
  userIdOf(slot: number): string | undefined {
    return this.ids.idOf(slot);
  }

  get size(): number {
    return this.ids.size;
  }

  /** Adds an empty member (evicting the least recently used one when full); returns the slot and who left. */
  add(userId: string): { slot: number; evicted?: string } {
    const existing = this.ids.get(userId);
    if (existing !== undefined) return { slot: existing };
    let evicted: string | undefined;
    if (this.ids.size >= this.capacity && this.oldest >= 0) {
      evicted = this.ids.idOf(this.oldest);
      if (evicted !== undefined) this.remove(evicted);
    }
    const slot = this.freeSlots.pop() ?? this.newSlot();
    this.ids.set(userId, slot);
    this.revision[slot] = 0;
    this.lastEventAt[slot] = NaN;
    this.rents[slot] = 0;
    this.fitReports[slot] = 0;
    this.known[slot] = 0;
    this.profiles[slot] = undefined;
    this.link(slot);
    return evicted === undefined ? { slot } : { slot, evicted };
  }

  /** Forgets a member; false when it was not in memory. */
  remove(userId: string): boolean {
    const slot = this.ids.delete(userId);
    if (slot === undefined) return false;
    this.unlink(slot);
    this.lists.clear(slot);
    this.profiles[slot] = undefined;
    this.freeSlots.push(slot);
    return true;
  }

  /** Marks a slot as the most recently used. */
  touch(slot: number): void {
    if (this.newest === slot) return;
    this.unlink(slot);
    this.link(slot);
  }

  private newSlot(): number {
    const slot = this.used++;
    const n = this.used;
    this.revision = grownFloat64(this.revision, n);
    this.lastEventAt = grownFloat64(this.lastEventAt, n);
    this.rents = grownInt32(this.rents, n);
    this.fitReports = grownInt32(this.fitReports, n);
    this.known = grownUint8(this.known, n);
    this.prev = grownInt32(this.prev, n);
    this.next = grownInt32(this.next, n);
    this.lists.ensureSlots(this.revision.length);
    return slot;
  }

  private link(slot: number): void {
    this.prev[slot] = this.newest;
    this.next[slot] = -1;
    if (this.newest >= 0) this.next[this.newest] = slot;
    this.newest = slot;
    if (this.oldest < 0) this.oldest = slot;
  }

  private unlink(slot: number): void {
    const p = this.prev[slot];
    const n = this.next[slot];
    if (p >= 0) this.next[p] = n;
    else if (this.oldest === slot) this.oldest = n;
    if (n >= 0) this.prev[n] = p;
    else if (this.newest === slot) this.newest = p;
  }
}
