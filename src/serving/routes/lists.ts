/**
 * The one-list read endpoints (API.md § Recommendations): recommendations, similar items, rank,
 * occasion items. Each runs under the request budget with the page's filters and fallback chain.
 */
import type { FastifyInstance } from 'fastify';
import { errorResponses, idParams } from '../../core/schemas/common.ts';
import { ForUserQuery, ItemListResponse, OccasionParams, RankBody, RecommendationsQuery } from '../../core/schemas/recommendations.ts';
import { listRecommendations } from '../page/lists/list-recommendations.ts';
import { occasionItems } from '../page/lists/occasion-items.ts';
import { rankItems } from '../page/lists/rank-items.ts';
import { similarItems } from '../page/lists/similar-items.ts';
import type { PageEngine } from '../page/page-engine.ts';
import { NO_EXPERIMENT } from '../page/types.ts';

const response = { 200: ItemListResponse, ...errorResponses };

/** Registers GET …/recommendations, GET /v1/items/:itemId/similar, POST …/rank, GET /v1/occasions/:occasion/items. */
export function listRoutes(app: FastifyInstance, engine: PageEngine): void {
  const variantOf = (userId: string | undefined) => (userId === undefined ? Promise.resolve(NO_EXPERIMENT) : engine.variantOf(userId));

  app.get<{ Params: { userId: string }; Querystring: { n: number; category?: string; size?: string } }>('/v1/users/:userId/recommendations', {
    config: { scope: 'read' },
    schema: {
      tags: ['recommendations'], summary: 'One list for the member, optionally of one category or with units in one size',
      params: idParams('userId'), querystring: RecommendationsQuery, response,
    },
  }, async (request) => {
    const { userId } = request.params;
    return listRecommendations({ userId, ...request.query, variant: await variantOf(userId) }, engine.deps);
  });

  app.get<{ Params: { itemId: string }; Querystring: { n: number; userId?: string } }>('/v1/items/:itemId/similar', {
    config: { scope: 'read' },
    schema: {
      tags: ['recommendations'], summary: 'Items like this one (re-ranked for a member when userId is given); an unknown item is a 404',
      params: idParams('itemId'), querystring: ForUserQuery, response,
    },
  }, async (request) => similarItems({ itemId: request.params.itemId, ...request.query, variant: await variantOf(request.query.userId) }, engine.deps));

  app.post<{ Params: { userId: string }; Body: { itemIds: string[] } }>('/v1/users/:userId/rank', {
    config: { scope: 'read' },
    schema: {
      tags: ['recommendations'], summary: 'The same items, best first for the member (items they cannot have now go last)',
      params: idParams('userId'), body: RankBody, response,
    },
  }, async (request) => {
    const { userId } = request.params;
    return rankItems({ userId, itemIds: request.body.itemIds, variant: await variantOf(userId) }, engine.deps);
  });

  app.get<{ Params: { occasion: string }; Querystring: { n: number; userId?: string } }>('/v1/occasions/:occasion/items', {
    config: { scope: 'read' },
    schema: {
      tags: ['recommendations'], summary: 'What members rent for an occasion (wedding, vacation…), personalised when userId is given',
      params: OccasionParams, querystring: ForUserQuery, response,
    },
  }, async (request) => occasionItems({ occasion: request.params.occasion, ...request.query, variant: await variantOf(request.query.userId) }, engine.deps));
}
