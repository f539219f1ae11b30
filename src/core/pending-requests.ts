/**
 * Requests not answered yet, by id: a ring of slots indexed by the id (a page worker's requests on the
 * HTTP thread, the page log's batches on a page worker, a page engine's log commits in flight).
 *
 * WHY not a Map or a Set (issue 22, the HTTP thread's full collections): a long-lived Map that takes
 * and drops an entry per page rehashes its table every few pages, and V8 leaves each old table
 * pointing to the new one and to the entries it held (for iterators). Once one table has been
 * promoted, that dead old table keeps the next one alive through every scavenge, and with it the
 * requests it held and all they reach (page JSON strings, page records): every later table and those
 * were promoted in turn, ~2 KB a page, and only a full collection (which stops every request) freed
 * them. Slots in one long-lived array are cleared when answered, so nothing dead points at anything young.
 */

const INITIAL_SLOTS = 64;

export class PendingRequests<T> {
  private slots: Array<T | undefined> = new Array<T | undefined>(INITIAL_SLOTS).fill(undefined);
  /** the oldest id that may still be unanswered */
  private first = 1;
  /** the id the next request gets */
  private next = 1;
  private count = 0;

  /** Holds `value` under a new id (ids count up from 1). */
  add(value: T): number {
    const id = this.next++;
    // the ring spans every id from the oldest unanswered on: grown (never shrunk) when one lags that far;
    // a worker leaving one unanswered past HUNG_MS is retired, so the span stays bounded by the page rate
    if (this.next - this.first > this.slots.length) this.grow();
    this.slots[id & (this.slots.length - 1)] = value;
    this.count++;
    return id;
  }

  /** Removes and returns the request `id`, or undefined when it is not pending (answered, unknown). */
  take(id: number): T | undefined {
    if (!Number.isInteger(id) || id < this.first || id >= this.next) return undefined;
    const mask = this.slots.length - 1;
    const value = this.slots[id & mask];
    if (value === undefined) return undefined;
    this.slots[id & mask] = undefined;
    this.count--;
    while (this.first < this.next && this.slots[this.first & mask] === undefined) this.first++;
    return value;
  }

  /** The oldest request not answered yet. */
  oldest(): T | undefined {
    return this.count === 0 ? undefined : this.slots[this.first & (this.slots.length - 1)];
  }

  /** Every pending request, oldest first. */
  *values(): IterableIterator<T> {
    const mask = this.slots.length - 1;
    for (let id = this.first; id < this.next; id++) {
      const v = this.slots[id & mask];
      if (v !== undefined) yield v;
    }
  }

  /** Drops every pending request. */
  clear(): void {
    this.slots.fill(undefined);
    this.first = this.next;
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  /** Doubles the ring, each pending request moved to its slot in the larger one. */
  private grow(): void {
    const old = this.slots, oldMask = old.length - 1;
    const slots = new Array<T | undefined>(old.length * 2).fill(undefined);
    const mask = slots.length - 1;
    for (let id = this.first; id < this.next - 1; id++) slots[id & mask] = old[id & oldMask];
    this.slots = slots;
  }
}
