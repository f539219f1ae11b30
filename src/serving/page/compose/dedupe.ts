/**
 * No item twice on a page: rows claim items in display order, so an earlier row wins — except that
 * curated rows claim theirs first, since a stylist's row must show exactly its items wherever the
 * row order puts it. A row claims only what it shows; `admit` may reject or adjust an item on the
 * way (the fit filter), so a rejected item stays free for the rows after it.
 */
import type { PageItem } from '../types.ts';

export interface DedupeRow {
  kind: string;
  items: readonly PageItem[];
  /** items shown at most */
  limit: number;
  /** the item as shown, or undefined to skip it */
  admit?: (item: PageItem) => PageItem | undefined;
}

/** For each row (in display order), the items it shows. */
export function dedupeRows(rows: readonly DedupeRow[]): PageItem[][] {
  const claimed = new Set<string>();
  const out: PageItem[][] = rows.map(() => []);
  const order = rows.map((_, k) => k).sort((a, b) => Number(rows[b].kind === 'curated') - Number(rows[a].kind === 'curated') || a - b);
  for (const k of order) {
    const { items, limit, admit } = rows[k];
    for (const item of items) {
      if (out[k].length >= limit) break;
      if (claimed.has(item.itemId)) continue;
      const shown = admit ? admit(item) : item;
      if (!shown) continue;
      claimed.add(item.itemId);
      out[k].push(shown);
    }
  }
  return out;
}
