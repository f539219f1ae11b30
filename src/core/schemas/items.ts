/** Catalogue schemas (API.md § Catalogue). */
import { type Static, Type } from '@sinclair/typebox';
import { BoundedRecord, Id, TEXT_PATTERN, Timestamp } from './common.ts';

/** Free-form attributes: up to 100 keys of 1-64 characters (shared with member profiles). */
export const Attributes = BoundedRecord(64, 100, Type.Union([Type.String({ maxLength: 256 }), Type.Number(), Type.Boolean()]));
export const Sizes = BoundedRecord(32, 100, Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
  { description: 'size label (1-32 characters) → units available now' });

const itemFields = {
  title: Type.String({ minLength: 1, maxLength: 300, pattern: TEXT_PATTERN }),
  category: Type.String({ minLength: 1, maxLength: 64, pattern: TEXT_PATTERN }),
  brand: Type.Optional(Type.String({ maxLength: 128, pattern: TEXT_PATTERN })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100 })),
  attributes: Type.Optional(Attributes),
  price: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12 })),
  imageUrl: Type.Optional(Type.String({ maxLength: 2048, pattern: TEXT_PATTERN })),
  // |x| ≤ 1e6: embeddings are stored as float32 (1e308 became Infinity) and dot products must not overflow
  embedding: Type.Optional(Type.Array(Type.Number({ minimum: -1e6, maximum: 1e6 }), { minItems: 1, maxItems: 4096 })),
  sizes: Type.Optional(Sizes),
  availableFrom: Type.Optional(Timestamp),
  retired: Type.Optional(Type.Boolean()),
};

export const ItemBody = Type.Object(itemFields, { additionalProperties: false, $id: 'ItemInput' });
export type ItemBody = Static<typeof ItemBody>;

export const BatchItem = Type.Object({ id: Id, ...itemFields }, { additionalProperties: false });
export type BatchItem = Static<typeof BatchItem>;

export const ItemsBatchBody = Type.Object({
  // items are checked one by one so that one bad item does not reject the batch
  items: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1000 }),
}, { additionalProperties: false });

export const AvailabilityBody = Type.Object({ sizes: Sizes }, { additionalProperties: false });

export const ItemResponse = Type.Object({
  id: Type.String(), title: Type.String(), category: Type.String(), brand: Type.Optional(Type.String()),
  // records as stored, unfiltered: the serialiser drops keys a bounded record would not match
  tags: Type.Array(Type.String()), attributes: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  price: Type.Optional(Type.Number()), imageUrl: Type.Optional(Type.String()), embedding: Type.Optional(Type.Array(Type.Number())),
  sizes: Type.Record(Type.String(), Type.Integer(), { description: 'size label → units available now' }),
  availableFrom: Type.Optional(Type.Number()), retired: Type.Boolean(),
  placeholder: Type.Boolean({ description: 'first seen in an event, never catalogued: not recommended until it is' }),
  createdAt: Type.Number(), updatedAt: Type.Number(),
}, { $id: 'Item' });

export const BatchResult = Type.Object({
  results: Type.Array(Type.Object({
    index: Type.Integer(), id: Type.Optional(Type.String()),
    status: Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('rejected')]),
    code: Type.Optional(Type.String()), message: Type.Optional(Type.String()),
  })),
  created: Type.Integer(), updated: Type.Integer(), rejected: Type.Integer(),
});
