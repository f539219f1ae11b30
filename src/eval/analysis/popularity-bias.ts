/**
 * Popularity bias: items ranked by train popularity (distinct train members; ties by vocabulary order)
 * and cut into 10 equal-count deciles, decile 1 the most popular. For each algorithm, the share of all
 * recommendation slots (top K of every member) that fall in each decile — against the catalogue (10%
 * each), the train interactions and the held-out test items. A curve above the test curve at decile 1
 * recommends the head more than members actually rent it.
 */
import type { EvalSplit } from '../splits.ts';

export const POPULARITY_BINS = 10;

export interface PopularityBias {
  bins: number;
  /** share of vocabulary items per decile (≈ 0.1 each) */
  catalogue: number[];
  /** share of train (member, item) pairs per decile */
  train: number[];
  /** share of held-out relevant items per decile */
  test: number[];
  /** per algorithm: share of recommendation slots per decile */
  byAlgorithm: Record<string, number[]>;
  /** per algorithm: mean train popularity (distinct members) of a recommended item */
  meanPopularity: Record<string, number>;
}

/** Decile (0 = most popular) of each item from its popularity, equal item counts per decile. */
export function popularityDeciles(popularity: ArrayLike<number>, bins = POPULARITY_BINS): Int32Array {
  const n = popularity.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => popularity[b] - popularity[a] || a - b);
  const bin = new Int32Array(n);
  order.forEach((item, rank) => (bin[item] = Math.min(bins - 1, Math.floor((rank * bins) / n))));
  return bin;
}

/** Share of `ids` (with repeats) in each bin; ids without a bin are ignored. */
export function shareByBin(ids: Iterable<string>, binOf: ReadonlyMap<string, number>, bins = POPULARITY_BINS): number[] {
  const counts = new Array<number>(bins).fill(0);
  let total = 0;
  for (const id of ids) {
    const b = binOf.get(id);
    if (b === undefined) continue;
    counts[b]++;
    total++;
  }
  return counts.map((c) => (total ? c / total : 0));
}

/** The popularity-bias curves of every algorithm's lists over `split`'s vocabulary. */
export function popularityBias(split: Pick<EvalSplit, 'train' | 'users'>, lists: Record<string, string[][]>): PopularityBias {
  const data = split.train.interactions;
  const popularity = new Float64Array(data.itemIds.length);
  for (let r = 0; r < data.items.length; r++) popularity[data.items[r]]++;
  const bin = popularityDeciles(popularity);
  const binOf = new Map(data.itemIds.map((id, i) => [id, bin[i]] as const));
  const popOf = new Map(data.itemIds.map((id, i) => [id, popularity[i]] as const));
  const byAlgorithm: Record<string, number[]> = {};
  const meanPopularity: Record<string, number> = {};
  for (const [name, algLists] of Object.entries(lists)) {
    byAlgorithm[name] = shareByBin(algLists.flat(), binOf);
    const recommended = algLists.flat();
    meanPopularity[name] = recommended.length ? recommended.reduce((s, id) => s + (popOf.get(id) ?? 0), 0) / recommended.length : Number.NaN;
  }
  return {
    bins: POPULARITY_BINS,
    catalogue: shareByBin(data.itemIds, binOf),
    train: shareByBin(Array.from(data.items, (i) => data.itemIds[i]), binOf),
    test: shareByBin(split.users.flatMap((u) => [...u.relevant]), binOf),
    byAlgorithm, meanPopularity,
  };
}
