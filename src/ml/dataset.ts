/**
 * What the model library trains from: interactions and item features as typed arrays over dense
 * indexes. Pure data; callers (pipeline, eval) build it from the store or from files.
 */
import type { AttributeValue } from '../core/types.ts';

/** Interactions as parallel arrays, one entry per interaction, in time order where it matters. */
export interface InteractionData {
  /** dense index → external id */
  userIds: string[];
  itemIds: string[];
  /** user index of interaction k */
  users: Int32Array;
  /** item index of interaction k */
  items: Int32Array;
  /** epoch ms of interaction k */
  ts: Float64Array;
  /** strength of interaction k (1 for a rental; lower for a view…) */
  weights: Float32Array;
  /** size label index of interaction k into `sizeLabels`, -1 when unknown */
  sizes?: Int32Array;
  sizeLabels?: string[];
  /** fit feedback of interaction k: 0 small, 1 fit, 2 large, -1 none */
  fits?: Int8Array;
  /** occasion index of interaction k into `occasionLabels`, -1 when unknown */
  occasions?: Int32Array;
  occasionLabels?: string[];
}

/** Item side information, indexed like `InteractionData.itemIds`. */
export interface ItemFeatures {
  category: string[];
  brand: (string | undefined)[];
  tags: string[][];
  attributes: Record<string, string | number | boolean>[];
  price: (number | undefined)[];
  /** epoch ms the item entered the catalogue */
  createdAt: Float64Array;
  /** row-major nItems × embeddingDim, or undefined when no item has one */
  embedding?: Float32Array;
  embeddingDim?: number;
}

/** Member side information: what members said about themselves (body measurements, age…), by member id. */
export interface MemberFeatures {
  /** profile attributes of the members who have any (numbers, text; a bust size like "34d" is read as band and cup) */
  attributes: ReadonlyMap<string, Readonly<Record<string, AttributeValue>>>;
}

/** Number of users and items of a data set. */
export function shapeOf(data: InteractionData): { nUsers: number; nItems: number; nnz: number } {
  return { nUsers: data.userIds.length, nItems: data.itemIds.length, nnz: data.users.length };
}

/** Builds dense indexes from (user, item, ts, weight) tuples given in any order. */
export function buildInteractions(
  rows: Iterable<{ user: string; item: string; ts: number; weight?: number }>,
): InteractionData {
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const users: number[] = [];
  const items: number[] = [];
  const ts: number[] = [];
  const weights: number[] = [];
  for (const r of rows) {
    let u = userIndex.get(r.user);
    if (u === undefined) userIndex.set(r.user, (u = userIndex.size));
    let i = itemIndex.get(r.item);
    if (i === undefined) itemIndex.set(r.item, (i = itemIndex.size));
    users.push(u);
    items.push(i);
    ts.push(r.ts);
    weights.push(r.weight ?? 1);
  }
  return {
    userIds: [...userIndex.keys()],
    itemIds: [...itemIndex.keys()],
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    ts: Float64Array.from(ts),
    weights: Float32Array.from(weights),
  };
}
