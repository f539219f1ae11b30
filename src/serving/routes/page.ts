/** GET /v1/users/:userId/page (API.md § Recommendations): a page of personalised rows. */
import type { FastifyInstance } from 'fastify';
import { errorResponses, idParams } from '../../core/schemas/common.ts';
import { PageQuery, PageResponse } from '../../core/schemas/recommendations.ts';
import { composePage } from '../page/compose-page.ts';
import type { PageEngine } from '../page/page-engine.ts';

/** Registers GET /v1/users/:userId/page. */
export function pageRoutes(app: FastifyInstance, engine: PageEngine): void {
  app.get<{ Params: { userId: string }; Querystring: { page: string; rows: number; size: number } }>('/v1/users/:userId/page', {
    config: { scope: 'read' },
    schema: {
      tags: ['recommendations'], params: idParams('userId'), querystring: PageQuery,
      summary: 'A page of rows (for-you, because-you-liked, curated, style, for-occasion, trending…); an unknown member gets a cold-start page',
      response: { 200: PageResponse, ...errorResponses },
    },
  }, async (request, reply) => {
    const { userId } = request.params;
    const variant = await engine.variantOf(userId);
    const { page, member, rowsJson } = await composePage({ userId, ...request.query, variant }, engine.deps);
    engine.served(page, member);
    if (rowsJson === undefined) return page;
    // a reused page: its rows were serialised once, only the head is new (same fields as PageResponse)
    const { rows: _rows, ...head } = page;
    return reply.type('application/json; charset=utf-8').send(`${JSON.stringify(head).slice(0, -1)},"rows":${rowsJson}}`);
  });
}
