/** Item ids kept sorted newest first (by a release time, then id), updated one item at a time. */
export class NewestOrder {
  private ids: string[] = [];
  private readonly keyOf = new Map<string, number>();

  /** Puts `id` at its place for release time `key` (moving it when it was elsewhere). */
  set(id: string, key: number): void {
    const old = this.keyOf.get(id);
    if (old === key) return;
    if (old !== undefined) this.ids.splice(this.indexOf(id, old), 1);
    this.keyOf.set(id, key);
    this.ids.splice(this.insertionPoint(id, key), 0, id);
  }

  /** Ids newest first. */
  all(): readonly string[] {
    return this.ids;
  }

  get size(): number {
    return this.ids.length;
  }

  /** Replaces the whole order at once (start-up: one sort instead of n insertions). */
  reset(entries: ReadonlyArray<{ id: string; key: number }>): void {
    this.keyOf.clear();
    for (const e of entries) this.keyOf.set(e.id, e.key);
    this.ids = [...this.keyOf.keys()].sort((a, b) => this.compare(a, this.keyOf.get(a) ?? 0, b, this.keyOf.get(b) ?? 0));
  }

  private compare(a: string, ka: number, b: string, kb: number): number {
    return kb - ka || (a < b ? -1 : a > b ? 1 : 0);
  }

  /** First index whose entry sorts at or after (id, key). */
  private insertionPoint(id: string, key: number): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = this.ids[mid];
      if (this.compare(other, this.keyOf.get(other) ?? 0, id, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(id: string, key: number): number {
    const at = this.insertionPoint(id, key);
    return this.ids[at] === id ? at : this.ids.indexOf(id);
  }
}
