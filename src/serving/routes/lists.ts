/**
 * The one-list read endpoints (API.md § Recommendations): recommendations, similar items, rank,
 * occasion items. Each runs under the request budget with the page's filters and fallback chain, where
 * the member's pages are composed (serving-router.ts).
 */
import type { FastifyInstance } from 'fastify';
import { errorResponses, idParams } from '../../core/schemas/common.ts';
import { ForUserQuery, ItemListResponse, OccasionParams, RankBody, RecommendationsQuery } from '../../core/schemas/recommendations.ts';
import type { ServingRouter } from '../serving-router.ts';

const response = { 200: ItemListResponse, ...errorResponses };

/** Registers GET …/recommendations, GET /v1/items/:itemId/similar, POST …/rank, GET /v1/occasions/:occasion/items. */
export function listRoutes(app: FastifyInstance, serving: ServingRouter): void {
  app.get<{ Params: { userId: string }; Querystring: { n: number; category?: string; size?: string } }>('/v1/users/:userId/recommendations', {
    config: { scope: 'read' },
    schema: {
      tags: ['recommendations'], summary: 'One list for the member, optionally of one category or with units in one size',
      params: idParams('userId'), querystring: RecommendationsQuery, response,
    },
  }, async (request) => serving.list({ list: 'recommendations', userId: request.params.userId, ...request.query }));

  app.get<{ Params: { itemId: string }; Querystring: { n: number; userId?: string } }>('/v1/items/:itemId/similar', {
    config: { scope: 'read' },
    schema: {
      tags: ['recommendations'], summary: 'Items like this one (re-ranked for a member when userId is given); an unknown item is a 404',
      params: idParams('itemId'), querystring: ForUserQuery, response,
    },
  }, async (request) => serving.list({ list: 'similar', itemId: request.params.itemId, ...request.query }));

  app.post<{ Params: { userId: string }; Body: { itemIds: string[] } }>('/v1/users/:userId/rank', {
    config: { scope: 'read' },
    schema: {
      tags: ['recommendations'], summary: 'The same items, best first for the member (items they cannot have now go last)',
      params: idParams('userId'), body: RankBody, response,
    },
  }, async (request) => serving.list({ list: 'rank', userId: request.params.userId, itemIds: request.body.itemIds }));

  app.get<{ Params: { occasion: string }; Querystring: { n: number; userId?: string } }>('/v1/occasions/:occasion/items', {
    config: { scope: 'read' },
    schema: {
      tags: ['recommendations'], summary: 'What members rent for an occasion (wedding, vacation…), personalised when userId is given',
      params: OccasionParams, querystring: ForUserQuery, response,
    },
  }, async (request) => serving.list({ list: 'occasion', occasion: request.params.occasion, ...request.query }));
}
