/**
 * Many small growable lists of entries (a: int32, b: int32, t: float64) packed into shared, chunked
 * typed arrays. A typed array per member would cost ~400 bytes of overhead each (measured), which at a
 * million members is more than their data; here a list costs its entries plus a handle. A list lives
 * in one block of a size class, moves up a class when it outgrows its block, and freed blocks are
 * reused. Chunks never move, so growing the arena copies nothing that already exists.
 */

/** Block capacities (entries); ×1.5 steps keep the unused tail of a block under a third. */
const CAPACITIES = [2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024] as const;
const CLASSES = CAPACITIES.length;
/** about 256 KB of entries per chunk */
const ENTRIES_PER_CHUNK = 16_384;

/** The largest list the arena holds. */
export const MAX_LIST_CAPACITY = CAPACITIES[CLASSES - 1];

/** Where a block's entries are: index `base + j` of `a`, `b` and `t` for entry j < capacity. */
export interface BlockView {
  a: Int32Array;
  b: Int32Array;
  t: Float64Array;
  base: number;
  capacity: number;
}

class SizeClass {
  readonly blocksPerChunk: number;
  readonly a: Int32Array[] = [];
  readonly b: Int32Array[] = [];
  readonly t: Float64Array[] = [];
  /** blocks handed out so far (the high-water mark) */
  used = 0;
  free: number[] = [];

  constructor(readonly capacity: number) {
    this.blocksPerChunk = Math.max(1, Math.floor(ENTRIES_PER_CHUNK / capacity));
  }

  take(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const block = this.used++;
    if (Math.floor(block / this.blocksPerChunk) === this.a.length) {
      const n = this.blocksPerChunk * this.capacity;
      this.a.push(new Int32Array(n));
      this.b.push(new Int32Array(n));
      this.t.push(new Float64Array(n));
    }
    return block;
  }
}

export class EntryArena {
  private readonly classes = CAPACITIES.map((c) => new SizeClass(c));

  /** A fresh block holding at least `minCapacity` entries (at most MAX_LIST_CAPACITY). */
  alloc(minCapacity: number): number {
    const cls = classFor(minCapacity);
    return this.classes[cls].take() * CLASSES + cls;
  }

  /** Returns a block to its class for reuse. */
  free(handle: number): void {
    this.classes[handle % CLASSES].free.push(Math.floor(handle / CLASSES));
  }

  /** Entries a block holds. */
  capacityOf(handle: number): number {
    return CAPACITIES[handle % CLASSES];
  }

  /** The arrays and offset of a block. */
  view(handle: number): BlockView {
    const sc = this.classes[handle % CLASSES];
    const block = Math.floor(handle / CLASSES);
    const chunk = Math.floor(block / sc.blocksPerChunk);
    return { a: sc.a[chunk], b: sc.b[chunk], t: sc.t[chunk], base: (block % sc.blocksPerChunk) * sc.capacity, capacity: sc.capacity };
  }

  /** A block of at least `minCapacity` holding the first `used` entries of `handle`, which is freed. */
  grow(handle: number, used: number, minCapacity: number): number {
    const next = this.alloc(minCapacity);
    const from = this.view(handle);
    const to = this.view(next);
    to.a.set(from.a.subarray(from.base, from.base + used), to.base);
    to.b.set(from.b.subarray(from.base, from.base + used), to.base);
    to.t.set(from.t.subarray(from.base, from.base + used), to.base);
    this.free(handle);
    return next;
  }

  /** Bytes of typed arrays allocated (for the memory report). */
  bytes(): number {
    let total = 0;
    for (const sc of this.classes) total += sc.a.length * sc.blocksPerChunk * sc.capacity * 16;
    return total;
  }
}

function classFor(minCapacity: number): number {
  for (let c = 0; c < CLASSES; c++) if (CAPACITIES[c] >= minCapacity) return c;
  return CLASSES - 1;
}
