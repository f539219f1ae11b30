/** Member schemas (API.md § Users). */
import { type Static, Type } from '@sinclair/typebox';
import { Timestamp } from './common.ts';
import { Attributes } from './items.ts';

const Words = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 });

export const UserBody = Type.Object({
  sizes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: 20 })),
  attributes: Type.Optional(Attributes),
  preferences: Type.Optional(Type.Object({
    styles: Type.Optional(Words), occasions: Type.Optional(Words), avoid: Type.Optional(Words),
  }, { additionalProperties: false })),
  upcoming: Type.Optional(Type.Array(Type.Object({
    occasion: Type.String({ minLength: 1, maxLength: 64 }), date: Timestamp,
  }, { additionalProperties: false }), { maxItems: 20 })),
}, { additionalProperties: false, $id: 'UserInput' });
export type UserBody = Static<typeof UserBody>;

export const UserResponse = Type.Object({
  id: Type.String(),
  sizes: Type.Array(Type.String()),
  attributes: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  preferences: Type.Object({
    styles: Type.Optional(Type.Array(Type.String())), occasions: Type.Optional(Type.Array(Type.String())),
    avoid: Type.Optional(Type.Array(Type.String())),
  }),
  upcoming: Type.Array(Type.Object({ occasion: Type.String(), date: Type.Number() })),
  stats: Type.Object({
    events: Type.Integer({ description: "this member's stored actions (every event but impressions), duplicates excluded" }),
    rents: Type.Integer(), hearts: Type.Integer(), lastEventAt: Type.Union([Type.Number(), Type.Null()]),
  }),
  held: Type.Array(Type.String(), { description: 'items rented and not yet returned' }),
  sizeProfile: Type.Record(Type.String(), Type.Object({
    rents: Type.Integer(), small: Type.Integer(), fit: Type.Integer(), large: Type.Integer(),
  }), { description: 'per rented size: rentals and fit feedback' }),
  createdAt: Type.Number(), updatedAt: Type.Number(),
}, { $id: 'User' });

/** What a write-only key gets back from PUT /v1/users/{id}: no member view (ADR 0003: write does not imply read). */
export const UserWriteAck = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('created'), Type.Literal('updated')]),
}, { $id: 'UserWriteAck', description: 'the answer to a key without the read scope' });
