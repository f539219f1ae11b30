/**
 * A world where one ranker clearly wins on the validation gate's split: group A rents a1-a4 and, in the
 * recent period, P, the most popular item, never rented with an a-item; group C ties a1 to c1-c12. So
 * popularity-recent finds P (NDCG 1) and item-kNN sends A members to c-items (NDCG 0). P is seen last, so
 * a model that scores nothing and ranks by item order does not find it by luck.
 */
import type { VitrineEvent } from '../../src/core/types.ts';

const DAY = 86_400_000;

/** The world's rentals, over the 30 days before `now`. */
export function clearWinnerWorld(now: number): VitrineEvent[] {
  const events: VitrineEvent[] = [];
  const rent = (userId: string, itemId: string, day: number) =>
    events.push({ id: `${userId}-${itemId}`, type: 'rent', userId, itemId, ts: now - 30 * DAY + day * DAY });
  for (let m = 0; m < 20; m++) { rent(`C${m}`, 'a1', 1); for (let c = 1; c <= 12; c++) rent(`C${m}`, `c${c}`, 1); }
  for (let m = 0; m < 20; m++) for (const i of ['a1', 'a2', 'a3', 'a4']) rent(`A${m}`, i, 1);
  for (let m = 0; m < 30; m++) { rent(`B${m}`, `b${m % 3}`, 1); rent(`B${m}`, 'P', 1); }
  for (let m = 0; m < 20; m++) rent(`A${m}`, 'P', 20);
  return events;
}
