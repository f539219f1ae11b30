/**
 * A small shop for the console's browser tests, written through the typed client: 36 items in six
 * categories and colours, 12 members with sizes and styles, and a deterministic history of clicks
 * and rents (item k is liked by members k mod 12 and (k + 5) mod 12), enough to train popularity.
 */
import type { EventInput, ItemWithId, VitrineClient } from 'vitrine/client';

export const CATEGORIES = ['dress', 'gown', 'jumpsuit', 'top', 'skirt', 'jacket'];
export const COLOURS = ['emerald', 'navy', 'ivory', 'red', 'gold', 'black'];
export const MEMBERS = Array.from({ length: 12 }, (_, k) => `m${String(k).padStart(2, '0')}`);

export function worldItems(): ItemWithId[] {
  return Array.from({ length: 36 }, (_, k) => ({
    id: `it-${String(k).padStart(2, '0')}`,
    title: `${COLOURS[k % 6]} ${CATEGORIES[Math.floor(k / 6)]} ${k}`,
    category: CATEGORIES[Math.floor(k / 6)], brand: 'Maison Test',
    attributes: { colour: COLOURS[k % 6] }, sizes: { '6': 3, '8': 3, '10': 3 },
  }));
}

/** Seeds the shop; `now` is the time of the last event. */
export async function seedConsoleWorld(api: VitrineClient, now: number): Promise<void> {
  await api.items.batch(worldItems());
  for (const [k, id] of MEMBERS.entries()) {
    await api.users.put(id, { sizes: [['6', '8', '10'][k % 3]], preferences: { styles: ['evening'], occasions: ['wedding'] } });
  }
  const events: EventInput[] = [];
  for (let k = 0; k < 36; k++) {
    for (const m of [k % 12, (k + 5) % 12]) {
      const userId = MEMBERS[m];
      const ts = now - (36 - k) * 3_600_000 - m * 1000;
      events.push({ id: `seed-c-${k}-${m}`, type: 'click', userId, itemId: `it-${String(k).padStart(2, '0')}`, ts });
      if (k % 3 === 0) events.push({ id: `seed-r-${k}-${m}`, type: 'rent', userId, itemId: `it-${String(k).padStart(2, '0')}`, ts: ts + 60_000, size: '8' });
    }
  }
  const result = await api.events.send(events);
  if (result.rejected.length) throw new Error(`seed events rejected: ${JSON.stringify(result.rejected[0])}`);
}
