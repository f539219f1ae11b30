/**
 * A small world for page tests over HTTP: 30 looks in size 8, six members who each rented twelve
 * consecutive looks a month ago (what item-knn learns), and members in size 8 who rented and returned
 * look 3 three weeks ago.
 */
import type { VitrineEvent } from '../../src/core/types.ts';
import type { Page } from '../../src/serving/page/types.ts';
import type { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';

export const NOW = Date.UTC(2026, 4, 20, 12);
export const DAY = 86_400_000;
export const LOOKS = Array.from({ length: 30 }, (_, k) => `l${String(k).padStart(2, '0')}`);
/** every item id on the page, row after row */
export const ids = (p: Page) => p.rows.flatMap((r) => r.items.map((i) => i.itemId));
/** the rows as plain data, to compare pages */
export const rowsOf = (p: Page) => p.rows.map((r) => ({ ...r, items: r.items.map((i) => ({ ...i })) }));

export async function looksWorld(store: SqliteStore, members: readonly string[] = ['ann']): Promise<void> {
  await store.upsertItems(LOOKS.map((id, k) => ({ id, title: `Look ${k}`, category: 'dress', sizes: { 8: 2 } })), NOW - 90 * DAY);
  const events: VitrineEvent[] = [];
  let seq = 0;
  for (let m = 0; m < 6; m++) {
    for (const itemId of LOOKS.slice(m, m + 12)) events.push({ id: `e${++seq}`, type: 'rent', userId: `m${m}`, itemId, ts: NOW - 30 * DAY, size: '8' });
  }
  await store.appendEvents(events);
  for (const userId of members) {
    await store.upsertUser(userId, { sizes: ['8'] }, NOW - 30 * DAY);
    await store.appendEvents([{ id: `${userId}1`, type: 'rent', userId, itemId: 'l03', ts: NOW - 20 * DAY, size: '8' },
      { id: `${userId}2`, type: 'return', userId, itemId: 'l03', ts: NOW - 19 * DAY }]);
  }
}
