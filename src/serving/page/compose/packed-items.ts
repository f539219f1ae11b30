/**
 * A cached row's candidates as parallel arrays (row-cache.ts): item ids and reasons are references
 * to strings shared with the catalogue, the models and the reason texts, scores one float64 each —
 * ~16 bytes an item, where PageItem objects took ~96 (docs/operations.md TODO(memory): ~330
 * candidates per cached member). Rows are unpacked only when a page is recomposed from them.
 */
import type { PageItem } from '../types.ts';

export interface PackedItems {
  ids: readonly string[];
  scores: Float64Array;
  /** one reason for every item, or one per item (undefined: none) */
  reasons: string | undefined | ReadonlyArray<string | undefined>;
}

export function packItems(items: readonly PageItem[]): PackedItems {
  const ids = items.map((i) => i.itemId);
  const scores = Float64Array.from(items, (i) => i.score);
  const first = items[0]?.reason;
  const reasons = items.every((i) => i.reason === first) ? first : items.map((i) => i.reason);
  return { ids, scores, reasons };
}

/** Fresh PageItems (callers may re-score or re-reason them), field for field as packed. */
export function unpackItems(packed: PackedItems): PageItem[] {
  const { ids, scores, reasons } = packed;
  const out = new Array<PageItem>(ids.length);
  for (let k = 0; k < ids.length; k++) {
    const reason = typeof reasons === 'object' ? reasons[k] : reasons;
    out[k] = reason === undefined ? { itemId: ids[k], score: scores[k] } : { itemId: ids[k], score: scores[k], reason };
  }
  return out;
}
