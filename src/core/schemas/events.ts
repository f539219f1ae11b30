/** Event schemas (API.md § Events). Events are validated one by one in code (validate-event.ts) so
 *  that one bad event never rejects its batch; this schema documents them in /openapi.json. */
import { Type } from '@sinclair/typebox';
import { EVENT_TYPES, FIT_VALUES } from '../types.ts';
import { Id, Timestamp } from './common.ts';

export const EventDoc = Type.Object({
  id: Id,
  type: Type.Union(EVENT_TYPES.map((t) => Type.Literal(t))),
  userId: Id,
  itemId: Type.Optional(Id),
  ts: Type.Optional(Timestamp),
  size: Type.Optional(Type.String()),
  fit: Type.Optional(Type.Union(FIT_VALUES.map((f) => Type.Literal(f)))),
  rating: Type.Optional(Type.Number()),
  value: Type.Optional(Type.Number()),
  occasion: Type.Optional(Type.String({ description: 'what the member rented for (wedding, vacation…)' })),
  context: Type.Optional(Type.Object({
    pageId: Type.Optional(Id), rowId: Type.Optional(Id), position: Type.Optional(Type.Integer({ minimum: 0 })),
    variant: Type.Optional(Id), modelVersion: Type.Optional(Id),
  }, { additionalProperties: false })),
}, { additionalProperties: false, $id: 'Event' });

export const EventsBody = Type.Object({
  events: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1000, description: 'Event objects (see Event)' }),
}, { additionalProperties: false });

export const EventsResponse = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String(), message: Type.String() })),
});
