/** Member routes (API.md § Users). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { VitrineError } from '../../core/errors.ts';
import { errorResponses, idParams } from '../../core/schemas/common.ts';
import { UserBody, UserResponse } from '../../core/schemas/users.ts';
import { isInputRejection, validateUser } from '../../core/validate-input.ts';
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

  app.put<{ Params: Params; Body: unknown }>('/v1/users/:userId', {
    config: { scope: 'write' },
    schema: {
      tags: ['members'], summary: 'Create or update a member profile (onboarding answers)', params, body: UserBody,
      response: { 200: UserResponse, 201: UserResponse, ...errorResponses },
    },
  }, async (request, reply) => {
    const input = validateUser(request.body);
    if (isInputRejection(input)) throw new VitrineError(input.code, input.message);
    const outcome = await store.upsertUser(request.params.userId, input, clock());
    await ctx.serving.apply({ kind: 'profile', userId: request.params.userId });
    return reply.status(outcome === 'created' ? 201 : 200).send(await view(request.params.userId));
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
    if (!(await store.forgetUser(request.params.userId))) {
      throw new VitrineError('VITRINE_USER_NOT_FOUND', `no member "${request.params.userId}"`);
    }
    await ctx.serving.apply({ kind: 'forget', userId: request.params.userId });
    return { id: request.params.userId, forgotten: true };
  });
}
