/** GET /v1/users/:userId/page (API.md § Recommendations): a page of personalised rows. */
import type { FastifyInstance } from 'fastify';
import { errorResponses, idParams } from '../../core/schemas/common.ts';
import { PageQuery, PageResponse } from '../../core/schemas/recommendations.ts';
import type { PageWorkerPool } from '../page-workers/page-worker-pool.ts';
import type { PageEngine } from '../page/page-engine.ts';
import { pageJson } from '../page/page-json.ts';

/** Registers GET /v1/users/:userId/page: composed by the member's page worker when there are workers (ADR 0010), else here. */
export function pageRoutes(app: FastifyInstance, engine: PageEngine, workers?: PageWorkerPool): void {
  app.get<{ Params: { userId: string }; Querystring: { page: string; rows: number; size: number } }>('/v1/users/:userId/page', {
    config: { scope: 'read' },
    schema: {
      tags: ['recommendations'], params: idParams('userId'), querystring: PageQuery,
      summary: 'A page of rows (for-you, because-you-liked, curated, style, for-occasion, trending…); an unknown member gets a cold-start page',
      response: { 200: PageResponse, ...errorResponses },
    },
  }, async (request, reply) => {
    const { userId } = request.params;
    if (workers) {
      const json = await workers.page(userId, request.query, async () => {
        const { page, rowsJson } = await engine.servePage(userId, request.query);
        return pageJson(page, rowsJson);
      });
      return reply.type('application/json; charset=utf-8').send(json);
    }
    const { page, rowsJson } = await engine.servePage(userId, request.query);
    if (rowsJson === undefined) return page;
    return reply.type('application/json; charset=utf-8').send(pageJson(page, rowsJson));
  });
}
