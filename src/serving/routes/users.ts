/** Member routes (API.md § Users). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { VitrineError } from '../../core/errors.ts';
import { errorResponses, idParams } from '../../core/schemas/common.ts';
import { UserBody, UserResponse, UserWriteAck } from '../../core/schemas/users.ts';
import { isInputRejection, validateUser } from '../../core/validate-input.ts';
import { keyHasScope } from '../auth.ts';
import type { AppContext } from '../context.ts';

const params = idParams('userId');
type Params = { userId: string };

/** Registers PUT/GET/DELETE /v1/users/:userId. */
export function userRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { store, clock } = ctx;

  const view = async (id: string) => {
    const user = await store.getUser(id);
    if (!user) throw new VitrineError('VITRINE_USER_NOT_FOUND', `no member "${id}"`);
    const [stats, held, sizeProfile] = await Promise.all([store.userStats(id), store.heldItems(id), store.sizeProfile(id)]);
    return { ...user, stats, held, sizeProfile };
  };

  const answer = Type.Union([UserResponse, UserWriteAck]);
  app.put<{ Params: Params; Body: unknown }>('/v1/users/:userId', {
    config: { scope: 'write' },
    schema: {
      tags: ['members'], params, body: UserBody,
      summary: 'Create or update a member profile (onboarding answers); the member view only to a key that can read',
      response: { 200: answer, 201: answer, ...errorResponses },
    },
  }, async (request, reply) => {
    const input = validateUser(request.body);
    if (isInputRejection(input)) throw new VitrineError(input.code, input.message);
    const id = request.params.userId;
    const outcome = await store.upsertUser(id, input, clock());
    await ctx.serving.apply({ kind: 'profile', userId: id });
    // a storefront's write-only key must not read a member's stored state back (ADR 0003)
    const body = keyHasScope(request, 'read') ? await view(id) : { id, status: outcome };
    return reply.status(outcome === 'created' ? 201 : 200).send(body);
  });

  app.get<{ Params: Params }>('/v1/users/:userId', {
    config: { scope: 'read' },
    schema: {
      tags: ['members'], summary: 'Profile plus derived state: stats, held items, size profile', params,
      response: { 200: UserResponse, ...errorResponses },
    },
  }, async (request) => view(request.params.userId));

  app.delete<{ Params: Params }>('/v1/users/:userId', {
    config: { scope: 'write' },
    schema: {
      tags: ['members'], summary: 'Forget a member: profile, events and served pages are deleted', params,
      response: { 200: Type.Object({ id: Type.String(), forgotten: Type.Boolean() }), ...errorResponses },
    },
  }, async (request) => {
    const userId = request.params.userId;
    // the store first, so that no page composed from now on reads them back into memory; then every
    // replica drops them from memory, drops their pages not yet logged and waits for the batches of
    // page records being committed; a second pass deletes what those batches wrote meanwhile
    const known = await store.forgetUser(userId);
    await ctx.serving.apply({ kind: 'forget', userId });
    await store.forgetUser(userId);
    if (!known) throw new VitrineError('VITRINE_USER_NOT_FOUND', `no member "${userId}"`);
    return { id: userId, forgotten: true };
  });
}
