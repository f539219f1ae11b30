/**
 * A fixed number of entry lists per member slot (recent positives, item marks, sizes), each a block of
 * the shared EntryArena addressed by two int32 columns: block handle and length.
 */
import { EntryArena, MAX_LIST_CAPACITY, type BlockView } from './entry-arena.ts';
import { grownInt32 } from './typed-growth.ts';

export class PackedLists {
  readonly arena = new EntryArena();
  private head: Int32Array = new Int32Array(0);
  private len: Int32Array = new Int32Array(0);

  constructor(private readonly listsPerSlot: number) {}

  /** Makes room for slots 0 … n-1. */
  ensureSlots(n: number): void {
    const need = n * this.listsPerSlot;
    if (need <= this.head.length) return;
    const old = this.head.length;
    this.head = grownInt32(this.head, need);
    this.head.fill(-1, old);
    this.len = grownInt32(this.len, need);
  }

  /** Entries in list `list` of `slot`. */
  length(slot: number, list: number): number {
    return this.len[slot * this.listsPerSlot + list];
  }

  /** The block of a list, or undefined when it is empty. */
  view(slot: number, list: number): BlockView | undefined {
    const h = this.head[slot * this.listsPerSlot + list];
    return h < 0 ? undefined : this.arena.view(h);
  }

  /**
   * Inserts an entry at `index`, shifting later entries down; when the list already holds `maxLength`
   * entries its last one is dropped first (an index at the end then inserts nothing).
   */
  insert(slot: number, list: number, index: number, a: number, b: number, t: number, maxLength: number): void {
    const k = slot * this.listsPerSlot + list;
    const cap = Math.min(maxLength, MAX_LIST_CAPACITY);
    let n = this.len[k];
    if (n >= cap) {
      if (index >= cap) return;
      n = cap - 1;
    }
    if (this.head[k] < 0) this.head[k] = this.arena.alloc(Math.min(2, cap));
    else if (n + 1 > this.arena.capacityOf(this.head[k])) this.head[k] = this.arena.grow(this.head[k], n, n + 1);
    const v = this.arena.view(this.head[k]);
    const at = v.base + index;
    const end = v.base + n;
    v.a.copyWithin(at + 1, at, end);
    v.b.copyWithin(at + 1, at, end);
    v.t.copyWithin(at + 1, at, end);
    v.a[at] = a;
    v.b[at] = b;
    v.t[at] = t;
    this.len[k] = n + 1;
  }

  /** Appends an entry (dropping the last one first when the list is full). */
  push(slot: number, list: number, a: number, b: number, t: number, maxLength: number): void {
    this.insert(slot, list, Math.min(this.length(slot, list), Math.min(maxLength, MAX_LIST_CAPACITY) - 1), a, b, t, maxLength);
  }

  /** Removes the entry at `index`, shifting later entries up; an emptied list gives its block back. */
  removeAt(slot: number, list: number, index: number): void {
    const k = slot * this.listsPerSlot + list;
    const n = this.len[k];
    if (index < 0 || index >= n) return;
    if (n === 1) {
      this.arena.free(this.head[k]);
      this.head[k] = -1;
      this.len[k] = 0;
      return;
    }
    const v = this.arena.view(this.head[k]);
    const at = v.base + index;
    const end = v.base + n;
    v.a.copyWithin(at, at + 1, end);
    v.b.copyWithin(at, at + 1, end);
    v.t.copyWithin(at, at + 1, end);
    this.len[k] = n - 1;
  }

  /** Empties every list of `slot`, returning their blocks. */
  clear(slot: number): void {
    for (let list = 0; list < this.listsPerSlot; list++) {
      const k = slot * this.listsPerSlot + list;
      if (this.head[k] >= 0) this.arena.free(this.head[k]);
      this.head[k] = -1;
      this.len[k] = 0;
    }
  }
}
