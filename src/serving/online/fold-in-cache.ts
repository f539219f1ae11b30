/**
 * Members' fold-in vectors, computed lazily from their recent positives by the serving model's
 * `foldIn` and kept (LRU-bounded) until the member's state or the model version changes.
 */
import type { MemberSnapshot, ModelHandle } from '../engine/contracts.ts';

interface CachedVector {
  algorithm: string;
  revision: number;
  version: string;
  vector: Float32Array;
}

export class FoldInCache {
  /** member → their vectors, one per algorithm; Map order is the LRU order */
  private readonly vectors = new Map<string, CachedVector[]>();

  constructor(private readonly capacity: number) {}

  /**
   * The member's vector under `handle`'s model; undefined when the model cannot fold in, the member has
   * no positive the model knows, or the model's answer is not a finite vector (a broken model).
   */
  vectorFor(snapshot: MemberSnapshot, handle: ModelHandle): Float32Array | undefined {
    const foldIn = handle.model.foldIn;
    if (!foldIn || snapshot.recent.length === 0 || this.capacity === 0) return undefined;
    const mine = this.vectors.get(snapshot.userId);
    const hit = mine?.find((c) => c.algorithm === handle.algorithm);
    if (mine) {
      this.vectors.delete(snapshot.userId);
      this.vectors.set(snapshot.userId, mine);
    }
    if (hit && hit.revision === snapshot.revision && hit.version === handle.version) return hit.vector;
    let vector: unknown;
    try {
      vector = foldIn.call(handle.model, snapshot.recent.map((r) => ({ itemId: r.itemId, weight: r.weight })));
    } catch {
      return undefined;
    }
    if (!(vector instanceof Float32Array) || !isUsable(vector)) return undefined;
    const entry: CachedVector = { algorithm: handle.algorithm, revision: snapshot.revision, version: handle.version, vector };
    if (mine) mine.splice(0, mine.length, ...mine.filter((c) => c.algorithm !== handle.algorithm), entry);
    else this.vectors.set(snapshot.userId, [entry]);
    if (this.vectors.size > this.capacity) this.vectors.delete(this.vectors.keys().next().value as string);
    return vector;
  }

  /** Drops a member's vectors (forgotten or evicted). */
  forget(userId: string): void {
    this.vectors.delete(userId);
  }

  get size(): number {
    return this.vectors.size;
  }
}

/** Finite and not all zero (a fold-in of only unknown items is the zero vector: no information). */
function isUsable(v: Float32Array): boolean {
  let nonZero = false;
  for (let k = 0; k < v.length; k++) {
    if (!Number.isFinite(v[k])) return false;
    if (v[k] !== 0) nonZero = true;
  }
  return nonZero;
}
