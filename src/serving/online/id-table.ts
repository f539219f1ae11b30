/**
 * String ids → the caller's dense slots, held in typed arrays instead of a Map: the ids' UTF-16 code
 * units live in one character arena, and an open-addressing table (linear probing) points at slots.
 * A million members then cost ~50 bytes each outside the JS heap, where a Map entry, the id string
 * and an array slot cost ~100 bytes of heap — which the collector marks on every full collection and
 * keeps headroom above (docs/operations.md § Online member state and its memory).
 * Trade: `idOf` builds a new string (callers use it on eviction only; `holds` compares in place).
 */

import { grownInt32 } from './typed-growth.ts';

const EMPTY = 0; // bucket value: slot + 1, 0 when empty
const MIN_BUCKETS = 1024;

export class IdTable {
  private buckets = new Int32Array(MIN_BUCKETS);
  private mask = MIN_BUCKETS - 1;
  /** per slot: where its id starts in `chars`, its length (-1: the slot holds no id) and its hash */
  private start: Int32Array = new Int32Array(0);
  private length: Int32Array = new Int32Array(0);
  private hashes: Int32Array = new Int32Array(0);
  private chars = new Uint16Array(4096);
  private charsUsed = 0;
  private charsLive = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The slot of `id`, or undefined. */
  get(id: string): number | undefined {
    const at = this.find(id, hashOf(id));
    return at < 0 ? undefined : this.buckets[at] - 1;
  }

  /** True when `slot` holds `id`. */
  holds(slot: number, id: string): boolean {
    return slot < this.length.length && this.length[slot] >= 0 && this.equals(slot, id);
  }

  /** The id in `slot`, or undefined when it holds none. */
  idOf(slot: number): string | undefined {
    if (slot >= this.length.length || this.length[slot] < 0) return undefined;
    const from = this.start[slot];
    return String.fromCharCode.apply(null, this.chars.subarray(from, from + this.length[slot]) as unknown as number[]);
  }

  /** Puts `id` in `slot` (a slot that held another id is emptied first; an id already elsewhere moves). */
  set(id: string, slot: number): void {
    const h = hashOf(id);
    const found = this.find(id, h);
    if (found >= 0) this.removeAt(found, this.buckets[found] - 1);
    if (slot < this.length.length && this.length[slot] >= 0) this.deleteSlot(slot);
    this.ensureSlots(slot + 1);
    if ((this.count + 1) * 2 > this.buckets.length) this.rehash(this.buckets.length * 2);
    this.ensureChars(id.length);
    const from = this.charsUsed;
    for (let k = 0; k < id.length; k++) this.chars[from + k] = id.charCodeAt(k);
    this.charsUsed += id.length;
    this.charsLive += id.length;
    this.start[slot] = from;
    this.length[slot] = id.length;
    this.hashes[slot] = h;
    let at = h & this.mask;
    while (this.buckets[at] !== EMPTY) at = (at + 1) & this.mask;
    this.buckets[at] = slot + 1;
    this.count++;
  }

  /** Forgets `id`; its slot, or undefined when it was not here. */
  delete(id: string): number | undefined {
    const at = this.find(id, hashOf(id));
    if (at < 0) return undefined;
    const slot = this.buckets[at] - 1;
    this.removeAt(at, slot);
    return slot;
  }

  private deleteSlot(slot: number): void {
    let at = this.hashes[slot] & this.mask;
    while (this.buckets[at] !== slot + 1) at = (at + 1) & this.mask;
    this.removeAt(at, slot);
  }

  /** Empties bucket `at` and shifts later entries of its probe run back (no tombstones). */
  private removeAt(at: number, slot: number): void {
    this.charsLive -= this.length[slot];
    this.length[slot] = -1;
    this.count--;
    let hole = at;
    for (let next = (at + 1) & this.mask; this.buckets[next] !== EMPTY; next = (next + 1) & this.mask) {
      const home = this.hashes[this.buckets[next] - 1] & this.mask;
      // the entry at `next` may move to the hole when its home is not in (hole, next]
      const movable = hole <= next ? home <= hole || home > next : home <= hole && home > next;
      if (movable) {
        this.buckets[hole] = this.buckets[next];
        hole = next;
      }
    }
    this.buckets[hole] = EMPTY;
  }

  private find(id: string, h: number): number {
    for (let at = h & this.mask; ; at = (at + 1) & this.mask) {
      const b = this.buckets[at];
      if (b === EMPTY) return -1;
      const slot = b - 1;
      if (this.hashes[slot] === h && this.equals(slot, id)) return at;
    }
  }

  private equals(slot: number, id: string): boolean {
    if (this.length[slot] !== id.length) return false;
    const from = this.start[slot];
    for (let k = 0; k < id.length; k++) if (this.chars[from + k] !== id.charCodeAt(k)) return false;
    return true;
  }

  private rehash(size: number): void {
    this.buckets = new Int32Array(size);
    this.mask = size - 1;
    for (let slot = 0; slot < this.length.length; slot++) {
      if (this.length[slot] < 0) continue;
      let at = this.hashes[slot] & this.mask;
      while (this.buckets[at] !== EMPTY) at = (at + 1) & this.mask;
      this.buckets[at] = slot + 1;
    }
  }

  private ensureSlots(n: number): void {
    if (n <= this.length.length) return;
    const old = this.length.length;
    this.start = grownInt32(this.start, n);
    this.length = grownInt32(this.length, n).fill(-1, old);
    this.hashes = grownInt32(this.hashes, n);
  }

  /** Room for `n` more code units: evicted ids' characters are compacted away before the arena grows. */
  private ensureChars(n: number): void {
    if (this.charsUsed + n <= this.chars.length) return;
    const wasted = this.charsUsed - this.charsLive;
    const size = wasted * 2 >= this.chars.length ? this.chars.length : Math.max(this.chars.length * 2, this.charsLive + n);
    const out = new Uint16Array(Math.max(size, this.charsLive + n));
    let used = 0;
    for (let slot = 0; slot < this.length.length; slot++) {
      const len = this.length[slot];
      if (len < 0) continue;
      out.set(this.chars.subarray(this.start[slot], this.start[slot] + len), used);
      this.start[slot] = used;
      used += len;
    }
    this.chars = out;
    this.charsUsed = used;
  }
}

/** FNV-1a over the id's UTF-16 code units. */
function hashOf(id: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x01000193);
  return h | 0;
}
