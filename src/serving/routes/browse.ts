/** Read-only listings beyond API.md (an allowed extension) used by the UI and operators. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ID_PATTERN } from '../../core/ids.ts';
import { errorResponses, Id, idParams } from '../../core/schemas/common.ts';
import { ItemResponse } from '../../core/schemas/items.ts';
import type { AppContext } from '../context.ts';
import { EVENT_TYPES } from '../../core/types.ts';

const TYPE_NAME = `(${EVENT_TYPES.join('|')})`;
/** A member's event list shows actions unless asked for impressions too (what they were shown is no action). */
const ACTION_TYPES: readonly string[] = EVENT_TYPES.filter((t) => t !== 'impression');
const EventsQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  types: Type.Optional(Type.String({
    pattern: `^${TYPE_NAME}(,${TYPE_NAME})*$`, maxLength: 200,
    description: 'comma-separated event types to list (e.g. rent,return); default: every type but impression',
  })),
}, { additionalProperties: false });

const Page = Type.Object({
  after: Type.Optional(Id),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  prefix: Type.Optional(Type.String({ pattern: ID_PATTERN, description: 'only ids that start with it (a member or item search)' })),
}, { additionalProperties: false });

type PageQuery = { after?: string; limit: number; prefix?: string };

// items also answer a search by words of the title (the console's carousel editor); members do not have titles
const ItemsPage = Type.Object({
  ...Page.properties,
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'only items whose title or id contains it (case-insensitive)' })),
}, { additionalProperties: false });
type ItemsPageQuery = PageQuery & { q?: string };

/**
 * The `afterId` to list from: `after`, or for a prefix a string just below every id that starts with
 * it, with no id between (its last character one lower, then \x7f, above every id character). Stores
 * list ids in byte order (PostgreSQL ids are COLLATE "C"), so the prefix's ids come first: one index
 * range, however many ids sort before them.
 */
export function listStart(query: Pick<PageQuery, 'after' | 'prefix'>): string | undefined {
  const { after, prefix } = query;
  if (!prefix) return after;
  const before = `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) - 1)}\x7f`;
  return after !== undefined && after > before ? after : before;
}

/** A listed page cut where ids stop matching the prefix, and its `next` cursor. */
export function prefixPage<T extends { id: string }>(rows: T[], query: PageQuery): { rows: T[]; next: string | null } {
  const matching = query.prefix ? rows.filter((r) => r.id.startsWith(query.prefix as string)) : rows;
  // a row past the prefix means the range is over
  const more = rows.length === query.limit && matching.length === rows.length;
  return { rows: matching, next: more ? rows[rows.length - 1].id : null };
}

/** Registers GET /v1/items, GET /v1/users, GET /v1/users/:userId/events and GET /v1/stats. */
export function browseRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { store } = ctx;

  app.get<{ Querystring: ItemsPageQuery }>('/v1/items', {
    config: { scope: 'read' },
    schema: {
      tags: ['catalogue'], summary: 'Items in id order, keyset-paged with ?after=<lastId>; ?prefix= keeps the ids that start with it; ?q= those whose title or id contains it',
      querystring: ItemsPage,
      response: { 200: Type.Object({ items: Type.Array(ItemResponse), next: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
    },
  }, async (request) => {
    const { q } = request.query;
    const rows = await store.listItems({ afterId: listStart(request.query), limit: request.query.limit, ...(q ? { contains: q.toLowerCase() } : {}) });
    const page = prefixPage(rows, request.query);
    return { items: page.rows, next: page.next };
  });

  app.get<{ Querystring: PageQuery }>('/v1/users', {
    config: { scope: 'read' },
    schema: { tags: ['members'], summary: 'Members in id order, keyset-paged with ?after=<lastId>; ?prefix= keeps the ids that start with it', querystring: Page },
  }, async (request) => {
    const page = prefixPage(await store.listUsers({ afterId: listStart(request.query), limit: request.query.limit }), request.query);
    return { users: page.rows, next: page.next };
  });

  app.get<{ Params: { userId: string }; Querystring: { limit: number; types?: string } }>('/v1/users/:userId/events', {
    config: { scope: 'read' },
    schema: {
      tags: ['members'], summary: "A member's most recent actions (or the types asked for), newest first", params: idParams('userId'),
      querystring: EventsQuery,
    },
  }, async (request) => {
    const types = request.query.types ? [...new Set(request.query.types.split(','))] : ACTION_TYPES;
    return { events: await store.userEvents(request.params.userId, { limit: request.query.limit, types }) };
  });

  app.get('/v1/stats', {
    config: { scope: 'read' },
    schema: { tags: ['operations'], summary: 'How many items, members and events the store holds' },
  }, async () => {
    const [items, users, events] = await Promise.all([store.countItems(), store.countUsers(), store.countEvents()]);
    return { items, users, events, store: store.kind };
  });
}
