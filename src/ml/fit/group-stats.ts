/**
 * Fit history of a group of rentals (a member, an item, an item in one size…): how many, how many
 * were reported small or large, and their mean rented size. Groups are dense indexes; composite
 * groups (item × size) get dense indexes through a key map.
 */
import { LARGE, SMALL } from './fit-data.ts';

export interface GroupStats {
  count: Float64Array;
  small: Float64Array;
  large: Float64Array;
  sizeSum: Float64Array;
  sizeCount: Float64Array;
}

/** Stats for `n` groups, all empty. */
export function emptyStats(n: number): GroupStats {
  return {
    count: new Float64Array(n), small: new Float64Array(n), large: new Float64Array(n),
    sizeSum: new Float64Array(n), sizeCount: new Float64Array(n),
  };
}

/** Adds one rental with `label` and `size` to group g. */
export function addRental(stats: GroupStats, g: number, label: number, size: number): void {
  stats.count[g] += 1;
  if (label === SMALL) stats.small[g] += 1;
  else if (label === LARGE) stats.large[g] += 1;
  if (!Number.isNaN(size)) {
    stats.sizeSum[g] += size;
    stats.sizeCount[g] += 1;
  }
}

/** Groups named by a number key (e.g. item·8192 + size step), densely indexed in order of first sight. */
export interface KeyedStats {
  /** group g's key is keys[g] */
  keys: Float64Array;
  /** key → group (the batch path's lookup; serving reads `keys` through groups-by-owner.ts instead) */
  readonly index: ReadonlyMap<number, number>;
  stats: GroupStats;
}

/** Collects keyed stats over rows; `keyOf` returns −1 for rows that belong to no group. */
export function collectKeyed(
  rows: Int32Array, keyOf: (k: number) => number, labels: Int8Array, sizes: Float64Array,
): KeyedStats {
  const index = new Map<number, number>();
  const groupOfRow = new Int32Array(rows.length);
  rows.forEach((k, j) => {
    const key = keyOf(k);
    if (key < 0) {
      groupOfRow[j] = -1;
      return;
    }
    let g = index.get(key);
    if (g === undefined) index.set(key, (g = index.size));
    groupOfRow[j] = g;
  });
  const stats = emptyStats(index.size);
  rows.forEach((k, j) => {
    if (groupOfRow[j] >= 0) addRental(stats, groupOfRow[j], labels[k], sizes[k]);
  });
  return { keys: Float64Array.from(index.keys()), index, stats };
}

/** Rebuilds the key map of keyed stats read back from an artifact. */
/**
 * Keyed stats as saved. The key → group map is made on first use: a serving thread never asks for it,
 * and on the 1M-member bench world the two maps (member × category, item × size) held ~28 MB of
 * tables and boxed keys in every thread.
 */
export function keyedFrom(keys: Float64Array, stats: GroupStats): KeyedStats {
  let index: Map<number, number> | undefined;
  return {
    keys, stats,
    get index() {
      if (!index) {
        index = new Map<number, number>();
        keys.forEach((key, g) => index?.set(key, g));
      }
      return index;
    },
  };
}

/**
 * Writes the features of group g for a rental in `size` into cols[at…]: count, smoothed P(small),
 * smoothed P(large) (pulled to `prior` with weight `smoothing`), mean size, size − mean size.
 * Returns the next free feature index. g < 0 means the group has no history.
 */
export function writeGroupFeatures(
  stats: GroupStats, g: number, size: number, prior: Float64Array, smoothing: number,
  cols: Float64Array[], at: number, row: number, withSizes = true,
): number {
  const n = g >= 0 ? stats.count[g] : 0;
  cols[at][row] = n;
  cols[at + 1][row] = ((g >= 0 ? stats.small[g] : 0) + smoothing * prior[SMALL]) / (n + smoothing);
  cols[at + 2][row] = ((g >= 0 ? stats.large[g] : 0) + smoothing * prior[LARGE]) / (n + smoothing);
  if (!withSizes) return at + 3;
  const mean = g >= 0 && stats.sizeCount[g] > 0 ? stats.sizeSum[g] / stats.sizeCount[g] : Number.NaN;
  cols[at + 3][row] = mean;
  cols[at + 4][row] = size - mean;
  return at + 5;
}
