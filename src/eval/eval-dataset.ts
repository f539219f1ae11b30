/**
 * What an offline protocol splits: every positive interaction (rental, purchase…) in input order, with
 * the side columns (sizes, occasions, fits) and the item features. Built from the RTR file
 * (rtr-dataset.ts) or from the engine's store (pipeline/training-data.ts).
 */
import type { InteractionData, ItemFeatures } from '../ml/dataset.ts';

export interface EvalDataset {
  /** label for reports: 'rtr' when the data is Rent the Runway (cited), else e.g. 'store' */
  name: string;
  /** positives in input order (ties in time keep this order) */
  interactions: InteractionData;
  /** indexed like `interactions.itemIds` */
  items?: ItemFeatures;
}

/**
 * The rows `keep` (interaction indexes, in the order given) as a new InteractionData whose users and
 * items are only those that occur, indexed by first appearance; side columns follow their rows.
 * Returns the new → old item index map too, to carry item features over.
 */
export function subsetInteractions(data: InteractionData, keep: Int32Array): { data: InteractionData; oldItemOf: Int32Array } {
  const userMap = new Int32Array(data.userIds.length).fill(-1);
  const itemMap = new Int32Array(data.itemIds.length).fill(-1);
  const userIds: string[] = [];
  const itemIds: string[] = [];
  const oldItems: number[] = [];
  const n = keep.length;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const k = keep[r];
    const u = data.users[k];
    const i = data.items[k];
    if (userMap[u] < 0) {
      userMap[u] = userIds.length;
      userIds.push(data.userIds[u]);
    }
    if (itemMap[i] < 0) {
      itemMap[i] = itemIds.length;
      itemIds.push(data.itemIds[i]);
      oldItems.push(i);
    }
    users[r] = userMap[u];
    items[r] = itemMap[i];
  }
  const pick = <T extends Int32Array | Float32Array | Float64Array | Int8Array>(col: T): T => {
    const out = new (col.constructor as new (len: number) => T)(n);
    for (let r = 0; r < n; r++) out[r] = col[keep[r]];
    return out;
  };
  const out: InteractionData = { userIds, itemIds, users, items, ts: pick(data.ts), weights: pick(data.weights) };
  if (data.sizes && data.sizeLabels) {
    out.sizes = pick(data.sizes);
    out.sizeLabels = data.sizeLabels;
  }
  if (data.fits) out.fits = pick(data.fits);
  if (data.occasions && data.occasionLabels) {
    out.occasions = pick(data.occasions);
    out.occasionLabels = data.occasionLabels;
  }
  return { data: out, oldItemOf: Int32Array.from(oldItems) };
}

/** Item features re-indexed: row j of the result is row `oldItemOf[j]` of `items`. */
export function subsetItemFeatures(items: ItemFeatures, oldItemOf: Int32Array): ItemFeatures {
  const rows = Array.from(oldItemOf);
  const out: ItemFeatures = {
    category: rows.map((i) => items.category[i]),
    brand: rows.map((i) => items.brand[i]),
    tags: rows.map((i) => items.tags[i]),
    attributes: rows.map((i) => items.attributes[i]),
    price: rows.map((i) => items.price[i]),
    createdAt: Float64Array.from(rows, (i) => items.createdAt[i]),
  };
  if (items.embedding && items.embeddingDim) {
    const d = items.embeddingDim;
    const emb = new Float32Array(rows.length * d);
    rows.forEach((i, j) => emb.set(items.embedding?.subarray(i * d, (i + 1) * d) ?? [], j * d));
    out.embedding = emb;
    out.embeddingDim = d;
  }
  return out;
}
