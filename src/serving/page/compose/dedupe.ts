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

/**
 * The items claimed in a dedupeRows call: ids mapped to the number of the call that last claimed them,
 * kept across calls, so that a call allocates no set (a new Set grew its table five times a call, two
 * calls a page: ~50 KB of a fresh page's ~370 KB of garbage, bench/results/serve-fresh-cpu.md). Calls are
 * synchronous, so they never overlap. Item ids come from the catalogue; the bound only guards against
 * a catalogue turning over for ever.
 */
const claimedBy = new Map<string, number>();
const MAX_CLAIMED_IDS = 200_000;
let calls = 0;

/** For each row (in display order), the items it shows. */
export function dedupeRows(rows: readonly DedupeRow[]): PageItem[][] {
  if (claimedBy.size > MAX_CLAIMED_IDS || calls >= 2 ** 30) {
    claimedBy.clear();
    calls = 0;
  }
  const call = ++calls;
  const out: PageItem[][] = rows.map(() => []);
  const order = rows.map((_, k) => k).sort((a, b) => Number(rows[b].kind === 'curated') - Number(rows[a].kind === 'curated') || a - b);
  for (const k of order) {
    const { items, limit, admit } = rows[k];
    for (const item of items) {
      if (out[k].length >= limit) break;
      if (claimedBy.get(item.itemId) === call) continue;
      const shown = admit ? admit(item) : item;
      if (!shown) continue;
      claimedBy.set(item.itemId, call);
      out[k].push(shown);
    }
  }
  return out;
}
