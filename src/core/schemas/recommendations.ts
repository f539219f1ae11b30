/** Schemas of the read endpoints (API.md § Recommendations): pages of rows, one-item lists, rank. */
import { Type } from '@sinclair/typebox';
import { Id } from './common.ts';

/** Limits of the read endpoints' query parameters (out of range → 400). */
export const READ_LIMITS = { rows: { min: 1, max: 20, default: 8 }, size: { min: 1, max: 100, default: 20 }, n: { min: 1, max: 200, default: 20 }, rank: 1000 };

const Reasoned = Type.Object({
  itemId: Type.String(),
  score: Type.Number(),
  reason: Type.Optional(Type.String({ description: 'a short reason to show: "Because you loved …", "Trending in your size 8"' })),
});

const Fallback = Type.Object({
  rowId: Type.String({ description: 'the row (or "page" for member state and template)' }),
  kind: Type.String(),
  used: Type.Array(Type.String(), { description: 'the sources whose items were served, in order' }),
  failed: Type.Array(Type.Object({
    source: Type.String(),
    cause: Type.String({ description: 'timeout | error | corrupt | unavailable' }),
    message: Type.String(),
  })),
}, { description: 'a row or list not served from its first source' });

const Served = {
  variant: Type.String({ description: 'the experiment variant label, or "default"' }),
  modelVersion: Type.Union([Type.String(), Type.Null()]),
  tookMs: Type.Number(),
  fallbacks: Type.Array(Fallback),
};

export const PageResponse = Type.Object({
  pageId: Type.String(),
  userId: Type.String(),
  ...Served,
  rows: Type.Array(Type.Object({
    rowId: Type.String({ description: 'send it back in events\' context.rowId' }),
    kind: Type.String(),
    title: Type.String(),
    explanation: Type.Optional(Type.String()),
    items: Type.Array(Reasoned),
  })),
});

export const ItemListResponse = Type.Object({
  userId: Type.Optional(Type.String()),
  occasion: Type.Optional(Type.String()),
  ...Served,
  items: Type.Array(Reasoned),
});

const count = (limits: { min: number; max: number; default: number }, description: string) =>
  Type.Integer({ minimum: limits.min, maximum: limits.max, default: limits.default, description });

export const PageQuery = Type.Object({
  page: Type.String({ pattern: Id.pattern, default: 'home', description: 'the page template' }),
  rows: count(READ_LIMITS.rows, 'rows at most'),
  size: count(READ_LIMITS.size, 'items per row at most'),
}, { additionalProperties: false });

export const RecommendationsQuery = Type.Object({
  n: count(READ_LIMITS.n, 'items at most'),
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  size: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'only items with units in this size' })),
}, { additionalProperties: false });

export const ForUserQuery = Type.Object({
  n: count(READ_LIMITS.n, 'items at most'),
  userId: Type.Optional(Id),
}, { additionalProperties: false });

export const RankBody = Type.Object({
  itemIds: Type.Array(Id, { minItems: 1, maxItems: READ_LIMITS.rank, uniqueItems: true }),
}, { additionalProperties: false });

export const OccasionParams = Type.Object({
  occasion: Type.String({ minLength: 1, maxLength: 64 }),
}, { additionalProperties: false });
