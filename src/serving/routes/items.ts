/** Catalogue routes (API.md § Catalogue). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { VitrineError } from '../../core/errors.ts';
import { errorResponses, idParams } from '../../core/schemas/common.ts';
import { AvailabilityBody, BatchResult, ItemBody, ItemResponse, ItemsBatchBody } from '../../core/schemas/items.ts';
import type { Item, ItemInput } from '../../core/types.ts';
import { isInputRejection, validateItem, validateItemWithId } from '../../core/validate-input.ts';
import type { AppContext } from '../context.ts';

const params = idParams('itemId');
type Params = { itemId: string };

/** Registers PUT/GET/DELETE /v1/items/:itemId, POST /v1/items/batch, PATCH and PUT …/availability. */
export function itemRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { store, clock } = ctx;
  const found = async (id: string): Promise<Item> => {
    const item = await store.getItem(id);
    if (!item) throw new VitrineError('VITRINE_ITEM_NOT_FOUND', `no item "${id}"`);
    return item;
  };

  app.put<{ Params: Params; Body: ItemInput }>('/v1/items/:itemId', {
    config: { scope: 'write' },
    schema: {
      tags: ['catalogue'], summary: 'Create or replace an item', params, body: ItemBody,
      response: { 200: ItemResponse, 201: ItemResponse, ...errorResponses },
    },
  }, async (request, reply) => {
    const input = validateItem(request.body);
    if (isInputRejection(input)) throw new VitrineError(input.code, input.message);
    const [outcome] = await store.upsertItems([{ id: request.params.itemId, ...input }], clock());
    const item = await found(request.params.itemId);
    // serving sees the item (new, changed, retired) from the next request on
    await ctx.serving.apply({ kind: 'items', items: [item] });
    return reply.status(outcome === 'created' ? 201 : 200).send(item);
  });

  app.post<{ Body: { items: unknown[] } }>('/v1/items/batch', {
    config: { scope: 'write' },
    schema: {
      tags: ['catalogue'], summary: 'Upsert up to 1000 items; each item succeeds or fails on its own',
      body: ItemsBatchBody, response: { 200: BatchResult, ...errorResponses },
    },
  }, async (request) => {
    const results: Array<{ index: number; id?: string; status: 'created' | 'updated' | 'rejected'; code?: string; message?: string }> = [];
    const valid: Array<{ index: number; item: { id: string } & ItemInput }> = [];
    request.body.items.forEach((raw, index) => {
      const item = validateItemWithId(raw);
      if (isInputRejection(item)) {
        const id = (raw as { id?: unknown })?.id;
        results.push({ index, ...(typeof id === 'string' ? { id } : {}), status: 'rejected', code: item.code, message: item.message });
      } else valid.push({ index, item });
    });
    const outcomes = valid.length ? await store.upsertItems(valid.map((v) => v.item), clock()) : [];
    const stored: Item[] = [];
    for (const v of valid) {
      const item = await store.getItem(v.item.id);
      if (item) stored.push(item);
    }
    // the page workers take the whole batch in one message each
    if (stored.length) await ctx.serving.apply({ kind: 'items', items: stored });
    valid.forEach((v, k) => results.push({ index: v.index, id: v.item.id, status: outcomes[k] }));
    results.sort((a, b) => a.index - b.index);
    const count = (s: string) => results.filter((r) => r.status === s).length;
    return { results, created: count('created'), updated: count('updated'), rejected: count('rejected') };
  });

  app.get<{ Params: Params }>('/v1/items/:itemId', {
    config: { scope: 'read' },
    schema: { tags: ['catalogue'], summary: 'One item', params, response: { 200: ItemResponse, ...errorResponses } },
  }, async (request) => found(request.params.itemId));

  app.delete<{ Params: Params }>('/v1/items/:itemId', {
    config: { scope: 'write' },
    schema: {
      tags: ['catalogue'], summary: 'Retire an item: never recommended again, its history kept', params,
      response: { 200: ItemResponse, ...errorResponses },
    },
  }, async (request) => {
    if (!(await store.retireItem(request.params.itemId, clock()))) {
      throw new VitrineError('VITRINE_ITEM_NOT_FOUND', `no item "${request.params.itemId}"`);
    }
    const now = clock();
    await ctx.serving.apply({ kind: 'retire', itemId: request.params.itemId, ts: now });
    return found(request.params.itemId);
  });

  const availabilitySchema = (summary: string) => ({
    tags: ['catalogue'], summary, params, body: AvailabilityBody,
    response: { 200: Type.Object({ id: Type.String(), sizes: AvailabilityBody.properties.sizes }, { description: 'every size of the item after the write' }), ...errorResponses },
  });
  /** Tells serving the item's whole availability after a write (a merge sends the merged record). */
  const availabilityChanged = async (itemId: string, sizes: Record<string, number>) => {
    await ctx.serving.apply({ kind: 'availability', itemId, sizes, ts: clock() });
    return { id: itemId, sizes };
  };

  app.patch<{ Params: Params; Body: { sizes: Record<string, number> } }>('/v1/items/:itemId/availability', {
    config: { scope: 'write' },
    schema: availabilitySchema('Set the units of the sizes named; the item\'s other sizes are kept (the fast path)'),
  }, async (request) => {
    const merged = await store.mergeAvailability(request.params.itemId, request.body.sizes, clock());
    if (!merged) throw new VitrineError('VITRINE_ITEM_NOT_FOUND', `no item "${request.params.itemId}"`);
    return availabilityChanged(request.params.itemId, merged);
  });

  app.put<{ Params: Params; Body: { sizes: Record<string, number> } }>('/v1/items/:itemId/availability', {
    config: { scope: 'write' },
    schema: availabilitySchema('Replace the item\'s per-size availability: sizes not named are no longer offered'),
  }, async (request) => {
    if (!(await store.setAvailability(request.params.itemId, request.body.sizes, clock()))) {
      throw new VitrineError('VITRINE_ITEM_NOT_FOUND', `no item "${request.params.itemId}"`);
    }
    return availabilityChanged(request.params.itemId, { ...request.body.sizes });
  });
}
