/**
 * Slices of interaction data that keep the member and item indexes of the whole: the rows before a
 * clock (the inner training cut), and the rows of a chosen set of items (EASE on the popular part of
 * the catalogue). Keeping the indexes means features computed on a slice line up with the whole.
 */
import type { InteractionData } from '../dataset.ts';

/** The rows of `data` for which `keep(k)` holds, same member and item ids. */
export function keepRows(data: InteractionData, keep: (k: number) => boolean): InteractionData {
  const rows: number[] = [];
  for (let k = 0; k < data.users.length; k++) if (keep(k)) rows.push(k);
  const pick = <T extends Int32Array | Float32Array | Float64Array | Int8Array>(col: T): T => {
    const out = new (col.constructor as new (length: number) => T)(rows.length);
    for (let r = 0; r < rows.length; r++) out[r] = col[rows[r]];
    return out;
  };
  const out: InteractionData = {
    userIds: data.userIds, itemIds: data.itemIds,
    users: pick(data.users), items: pick(data.items), ts: pick(data.ts), weights: pick(data.weights),
  };
  if (data.sizes && data.sizeLabels) Object.assign(out, { sizes: pick(data.sizes), sizeLabels: data.sizeLabels });
  if (data.fits) out.fits = pick(data.fits);
  if (data.occasions && data.occasionLabels) Object.assign(out, { occasions: pick(data.occasions), occasionLabels: data.occasionLabels });
  return out;
}

/** The rows before `asOf` (epoch ms). */
export function rowsBefore(data: InteractionData, asOf: number): InteractionData {
  return keepRows(data, (k) => data.ts[k] < asOf);
}

/** The rows of `items` only, re-indexed over `items` (in that order); members keep their indexes. */
export function rowsOfItems(data: InteractionData, items: Int32Array): InteractionData {
  const newIndex = new Int32Array(data.itemIds.length).fill(-1);
  items.forEach((i, j) => (newIndex[i] = j));
  const kept = keepRows(data, (k) => newIndex[data.items[k]] >= 0);
  return { ...kept, itemIds: Array.from(items, (i) => data.itemIds[i]), items: kept.items.map((i) => newIndex[i]) };
}
