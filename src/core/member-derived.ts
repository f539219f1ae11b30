/** State derived from a member's events, computed the same way by every store and by online state. */
import { emptyRecord } from './dictionary.ts';
import type { SizeProfileEntry, VitrineEvent } from './types.ts';

/** Items rented and not returned since, given the member's rent/return events in any order. */
export function heldFromEvents(events: ReadonlyArray<Pick<VitrineEvent, 'type' | 'itemId' | 'ts'> & { seq?: number }>): string[] {
  const sorted = [...events].sort((a, b) => a.ts - b.ts || (a.seq ?? 0) - (b.seq ?? 0));
  const held = new Set<string>();
  for (const e of sorted) {
    if (!e.itemId) continue;
    if (e.type === 'rent') held.add(e.itemId);
    else if (e.type === 'return' || e.type === 'purchase') held.delete(e.itemId);
  }
  return [...held];
}

/** Per size label: how many rentals, and how many small/fit/large fit reports (labels are members' data: no prototype). */
export function sizeProfileFromEvents(events: ReadonlyArray<Pick<VitrineEvent, 'type' | 'size' | 'fit'>>): Record<string, SizeProfileEntry> {
  const profile = emptyRecord<SizeProfileEntry>();
  for (const e of events) {
    if (!e.size) continue;
    let entry = profile[e.size];
    if (!entry) profile[e.size] = entry = { rents: 0, small: 0, fit: 0, large: 0 };
    if (e.type === 'rent') entry.rents++;
    if (e.fit) entry[e.fit]++;
  }
  return profile;
}
