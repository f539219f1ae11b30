/**
 * Which of a carousel's items may be served. A stylist may name items that are not catalogued yet or
 * were retired: the carousel is accepted, those items are reported (`unservableItems`) and never
 * served (`servableItems`, and the page's business filters besides).
 */
import type { Item } from '../../core/types.ts';
import type { CatalogueView } from '../engine/contracts.ts';
import type { Carousel } from '../page/types.ts';

export type UnservableReason = 'unknown' | 'uncatalogued' | 'retired';

export interface UnservableItem {
  itemId: string;
  reason: UnservableReason;
}

/** Why an item (as the store has it, or null) is never served, or undefined when it may be. */
export function unservableReason(item: Pick<Item, 'retired' | 'placeholder'> | null | undefined): UnservableReason | undefined {
  if (!item) return 'unknown';
  if (item.placeholder) return 'uncatalogued';
  if (item.retired) return 'retired';
  return undefined;
}

/** The carousel's items that will not be served, in its order, looked up one by one. */
export async function unservableItems(
  itemIds: readonly string[], getItem: (id: string) => Promise<Pick<Item, 'retired' | 'placeholder'> | null | undefined>,
): Promise<UnservableItem[]> {
  const out: UnservableItem[] = [];
  for (const itemId of itemIds) {
    const reason = unservableReason(await getItem(itemId));
    if (reason) out.push({ itemId, reason });
  }
  return out;
}

/** The carousel's servable items in the stylist's order, each once: recommendable at `now` in the catalogue. */
export function servableItems(
  carousel: Pick<Carousel, 'itemIds'>, catalogue: Pick<CatalogueView, 'isRecommendable'>, now: number,
): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of carousel.itemIds) {
    if (seen.has(id)) continue;
    seen.add(id);
    if (catalogue.isRecommendable(id, now)) out.push(id);
  }
  return out;
}

/** True when the carousel is on at `now` (inside [activeFrom, activeTo]). */
export function isCarouselActive(carousel: Pick<Carousel, 'activeFrom' | 'activeTo'>, now: number): boolean {
  return (carousel.activeFrom === undefined || carousel.activeFrom <= now) && (carousel.activeTo === undefined || carousel.activeTo >= now);
}
