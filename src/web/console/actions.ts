/** A member's actions on an item, sent as events through the pixel endpoint with the page they came from. */
import type { EventInput, Item, Page, PageRow, VitrineClient } from '../../client/index.ts';

let seq = 0;
/** An event id unique to this tab (the API treats a re-sent id as a duplicate). */
export const eventId = (): string => `ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${seq++}`;

/** The member's size when the item has units in it, else any size with units; undefined when none. */
export function rentableSize(item: Pick<Item, 'sizes'> | undefined, memberSizes: readonly string[]): string | undefined {
  const open = Object.entries(item?.sizes ?? {}).filter(([, n]) => n > 0).map(([s]) => s);
  return memberSizes.find((s) => open.includes(s)) ?? open[0];
}

export type Action = 'heart' | 'rent' | 'dismiss';

export interface Origin { page: Page; row: PageRow; position: number }

/** Sends one action; throws with the rejection's message when the event was refused. */
export async function sendAction(client: VitrineClient, event: Omit<EventInput, 'id'>, origin?: Origin): Promise<void> {
  const context = origin ? {
    context: {
      pageId: origin.page.pageId, rowId: origin.row.rowId, position: origin.position, variant: origin.page.variant,
      ...(origin.page.modelVersion ? { modelVersion: origin.page.modelVersion } : {}),
    },
  } : {};
  const result = await client.events.send([{ id: eventId(), ...event, ...context }]);
  const [rejected] = result.rejected;
  if (rejected) throw new Error(`${rejected.message} (${rejected.code})`);
}
