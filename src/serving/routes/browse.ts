/** Read-only listings beyond API.md (an allowed extension) used by the UI and operators. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
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
}, { additionalProperties: false });

/** Registers GET /v1/items, GET /v1/users, GET /v1/users/:userId/events and GET /v1/stats. */
export function browseRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { store } = ctx;

  app.get<{ Querystring: { after?: string; limit: number } }>('/v1/items', {
    config: { scope: 'read' },
    schema: {
      tags: ['catalogue'], summary: 'Items in id order, keyset-paged with ?after=<lastId>', querystring: Page,
      response: { 200: Type.Object({ items: Type.Array(ItemResponse), next: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
    },
  }, async (request) => {
    const items = await store.listItems({ afterId: request.query.after, limit: request.query.limit });
    return { items, next: items.length === request.query.limit ? items[items.length - 1].id : null };
  });

  app.get<{ Querystring: { after?: string; limit: number } }>('/v1/users', {
    config: { scope: 'read' },
    schema: { tags: ['members'], summary: 'Members in id order, keyset-paged with ?after=<lastId>', querystring: Page },
  }, async (request) => {
    const users = await store.listUsers({ afterId: request.query.after, limit: request.query.limit });
    return { users, next: users.length === request.query.limit ? users[users.length - 1].id : null };
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
