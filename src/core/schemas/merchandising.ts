/** Merchandising schemas (API.md § Merchandising): stylists' carousels and page templates. */
import { Type } from '@sinclair/typebox';
import { Id, TEXT_PATTERN, Timestamp } from './common.ts';

const Segments = Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 50 });

export const CarouselBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 300, pattern: TEXT_PATTERN }),
  itemIds: Type.Array(Id, {
    minItems: 1, maxItems: 500,
    description: 'in the stylist\'s order; repeats are dropped; unknown or retired ids are accepted, reported, never served',
  }),
  personalize: Type.Boolean({ default: false, description: 'true: re-sorted for each member; false: the stylist\'s order' }),
  activeFrom: Type.Optional(Timestamp),
  activeTo: Type.Optional(Timestamp),
  audience: Type.Optional(Type.Object({
    segments: Type.Optional(Segments),
  }, { additionalProperties: false, description: 'member segments it is meant for; absent or empty = everyone' })),
}, { additionalProperties: false, $id: 'CarouselInput' });

/** An item of a carousel that will not be served, and why. */
export const UnservableItem = Type.Object({
  itemId: Type.String(),
  reason: Type.Union([Type.Literal('unknown'), Type.Literal('uncatalogued'), Type.Literal('retired')], {
    description: 'unknown: no such item; uncatalogued: only seen in events; retired: retired from the catalogue',
  }),
});

export const CarouselResponse = Type.Object({
  id: Type.String(), title: Type.String(), itemIds: Type.Array(Type.String()), personalize: Type.Boolean(),
  activeFrom: Type.Optional(Type.Number()), activeTo: Type.Optional(Type.Number()),
  audience: Type.Optional(Type.Object({ segments: Type.Optional(Type.Array(Type.String())) })),
  createdAt: Type.Number(), updatedAt: Type.Number(),
  unservable: Type.Array(UnservableItem, { description: 'items kept in the carousel that are never served (now)' }),
}, { $id: 'Carousel' });

const TemplateRow = Type.Object({
  kind: Type.String({
    minLength: 1, maxLength: 64,
    description: 'for-you, because-you-liked, curated, style, for-occasion, trending, new-arrivals, popular-in-your-size, back-in-your-size',
  }),
  carouselId: Type.Optional(Type.String({
    pattern: Id.pattern, description: 'curated rows only; a curated row without one stands for every active carousel',
  })),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'items in this row (default: the request\'s size)' })),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
}, { additionalProperties: false });

export const PageTemplateBody = Type.Object({
  rows: Type.Array(TemplateRow, { minItems: 1, maxItems: 50 }),
  maxRows: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  rowOrder: Type.Optional(Type.Union([Type.Literal('bandit'), Type.Literal('fixed')], {
    description: 'bandit (default): rows ordered by what each segment engages with; fixed: the template\'s order. An experiment variant\'s rowOrder wins',
  })),
}, { additionalProperties: false, $id: 'PageTemplateInput' });

export const PageTemplateResponse = Type.Object({
  name: Type.String(),
  rows: Type.Array(Type.Object({
    kind: Type.String(), carouselId: Type.Optional(Type.String()), size: Type.Optional(Type.Integer()), title: Type.Optional(Type.String()),
  })),
  maxRows: Type.Optional(Type.Integer()),
  rowOrder: Type.Optional(Type.String()),
  source: Type.Union([Type.Literal('stored'), Type.Literal('default')], { description: 'default: built in, none stored under this name' }),
  createdAt: Type.Optional(Type.Number()), updatedAt: Type.Optional(Type.Number()),
  warnings: Type.Optional(Type.Array(Type.String(), { description: 'e.g. a curated row naming a carousel that does not exist yet' })),
}, { $id: 'PageTemplate' });
