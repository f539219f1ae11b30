/** Stylists' carousels (API.md § Merchandising), admin scope. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { VitrineError } from '../../core/errors.ts';
import { errorResponses, idParams } from '../../core/schemas/common.ts';
import { CarouselBody, CarouselResponse } from '../../core/schemas/merchandising.ts';
import { toEpochMs } from '../../core/time.ts';
import type { CarouselInput, CarouselRecord } from '../../storage/store.ts';
import type { AppContext } from '../context.ts';
import { unservableItems } from '../merchandising/servable.ts';

const params = idParams('carouselId');
type Params = { carouselId: string };
interface Body {
  title: string; itemIds: string[]; personalize: boolean; activeFrom?: unknown; activeTo?: unknown;
  audience?: { segments?: string[] };
}

function timestamp(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  // Ajv's coerceTypes turns an epoch-ms number into a string of digits (Timestamp lists String first)
  const ms = toEpochMs(typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value);
  if (ms === undefined) throw new VitrineError('VITRINE_CAROUSEL_INVALID', `${field} must be an ISO-8601 string or epoch ms`);
  return ms;
}

/** The stored form of a schema-checked body: timestamps as epoch ms, repeated items once. */
function carouselInput(body: Body): CarouselInput {
  const input: CarouselInput = { title: body.title, itemIds: [...new Set(body.itemIds)], personalize: body.personalize };
  const from = timestamp(body.activeFrom, 'activeFrom');
  const to = timestamp(body.activeTo, 'activeTo');
  if (from !== undefined && to !== undefined && to < from) {
    throw new VitrineError('VITRINE_CAROUSEL_INVALID', 'activeTo is before activeFrom');
  }
  if (from !== undefined) input.activeFrom = from;
  if (to !== undefined) input.activeTo = to;
  if (body.audience) input.audience = body.audience;
  return input;
}

/** Registers PUT/GET/DELETE /v1/carousels/:carouselId and GET /v1/carousels. */
export function carouselRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { store, clock } = ctx;
  // unservable items are worked out on every read: items are retired and catalogued after the PUT
  const view = async (c: CarouselRecord) => ({ ...c, unservable: await unservableItems(c.itemIds, (id) => store.getItem(id)) });
  const found = async (id: string): Promise<CarouselRecord> => {
    const c = await store.getCarousel(id);
    if (!c) throw new VitrineError('VITRINE_CAROUSEL_NOT_FOUND', `no carousel "${id}"`);
    return c;
  };

  app.put<{ Params: Params; Body: Body }>('/v1/carousels/:carouselId', {
    config: { scope: 'admin' },
    schema: {
      tags: ['merchandising'], params, body: CarouselBody,
      summary: 'Create or replace a carousel; unknown or retired items are accepted, reported in unservable[], never served',
      response: { 200: CarouselResponse, 201: CarouselResponse, ...errorResponses },
    },
  }, async (request, reply) => {
    const id = request.params.carouselId;
    const outcome = await store.putCarousel({ id, ...carouselInput(request.body) }, clock());
    await ctx.merchandising.reload();
    await ctx.serving.apply({ kind: 'merchandising' });
    return reply.status(outcome === 'created' ? 201 : 200).send(await view(await found(id)));
  });

  app.get<{ Params: Params }>('/v1/carousels/:carouselId', {
    config: { scope: 'admin' },
    schema: { tags: ['merchandising'], summary: 'One carousel', params, response: { 200: CarouselResponse, ...errorResponses } },
  }, async (request) => view(await found(request.params.carouselId)));

  app.get('/v1/carousels', {
    config: { scope: 'admin' },
    schema: {
      tags: ['merchandising'], summary: 'Every carousel, by id',
      response: { 200: Type.Object({ carousels: Type.Array(CarouselResponse) }), ...errorResponses },
    },
  }, async () => ({ carousels: await Promise.all((await store.listCarousels()).map(view)) }));

  app.delete<{ Params: Params }>('/v1/carousels/:carouselId', {
    config: { scope: 'admin' },
    schema: {
      tags: ['merchandising'], summary: 'Delete a carousel (its rows disappear from pages)', params,
      response: { 200: Type.Object({ id: Type.String(), deleted: Type.Boolean() }), ...errorResponses },
    },
  }, async (request) => {
    if (!(await store.deleteCarousel(request.params.carouselId))) {
      throw new VitrineError('VITRINE_CAROUSEL_NOT_FOUND', `no carousel "${request.params.carouselId}"`);
    }
    await ctx.merchandising.reload();
    await ctx.serving.apply({ kind: 'merchandising' });
    return { id: request.params.carouselId, deleted: true };
  });
}
