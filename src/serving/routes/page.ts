/** GET /v1/users/:userId/page (API.md § Recommendations): a page of personalised rows. */
import type { FastifyInstance } from 'fastify';
import { errorResponses, idParams } from '../../core/schemas/common.ts';
import { PageQuery, PageResponse } from '../../core/schemas/recommendations.ts';
import type { FreshnessTracker } from '../freshness.ts';
import type { ServingRouter } from '../serving-router.ts';

/** Registers GET /v1/users/:userId/page: composed by the member's page worker when there are workers (ADR 0010), else here. */
export function pageRoutes(app: FastifyInstance, serving: ServingRouter, freshness: FreshnessTracker): void {
  app.get<{ Params: { userId: string }; Querystring: { page: string; rows: number; size: number } }>('/v1/users/:userId/page', {
    config: { scope: 'read' },
    schema: {
      tags: ['recommendations'], params: idParams('userId'), querystring: PageQuery,
      summary: 'A page of rows (for-you, because-you-liked, curated, style, for-occasion, trending…); an unknown member gets a cold-start page',
      response: { 200: PageResponse, ...errorResponses },
    },
  }, async (request, reply) => {
    // the page is sent as composed (page-json.ts: PageResponse's fields), not serialised again here
    const askedAt = freshness.now();
    const json = await serving.page(request.params.userId, request.query);
    freshness.pageSent(request.params.userId, askedAt);
    return reply.type('application/json; charset=utf-8').send(json);
  });
}
