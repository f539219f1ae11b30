/** GET /v1/session: what the request's key may do, so that the console shows only what it allows (ADR 0003). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../../core/schemas/common.ts';
import { keyHasScope } from '../auth.ts';

const SCOPES = ['read', 'write', 'admin'] as const;

export const SessionResponse = Type.Object({
  open: Type.Boolean({ description: 'true: no API keys are configured (loopback only), every scope is allowed' }),
  scopes: Type.Array(Type.String(), { description: 'the scopes this key grants, admin implying read and write' }),
});

/** Registers GET /v1/session (any valid key; 401 without one when keys are configured). */
export function sessionRoutes(app: FastifyInstance): void {
  app.get('/v1/session', {
    config: { identify: true },
    schema: { tags: ['operations'], summary: 'The scopes of the request\'s key (admin implies read and write)', response: { 200: SessionResponse, ...errorResponses } },
  }, async (request) => ({
    open: request.keyScopes === null,
    scopes: SCOPES.filter((s) => keyHasScope(request, s)),
  }));
}
