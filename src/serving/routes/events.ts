/** POST /v1/events: the pixel endpoint (API.md § Events). A 200 means every accepted event is durable. */
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../../core/schemas/common.ts';
import { EventsBody, EventsResponse } from '../../core/schemas/events.ts';
import type { AppContext } from '../context.ts';

/** The members of a batch's events that were not rejected (duplicates included: their pages show them too). */
function membersOf(events: readonly unknown[], rejected: ReadonlyArray<{ index: number }>): Set<string> {
  const refused = new Set(rejected.map((r) => r.index));
  const members = new Set<string>();
  events.forEach((event, index) => {
    // an accepted event is an object with a valid userId (validate-event.ts)
    if (refused.has(index) || typeof event !== 'object' || event === null) return;
    const userId = (event as { userId?: unknown }).userId;
    if (typeof userId === 'string') members.add(userId);
  });
  return members;
}

/** Registers POST /v1/events. */
export function eventRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { ingestor, metrics, freshness } = ctx;
  app.post<{ Body: { events: unknown[] } }>('/v1/events', {
    config: { scope: 'write' },
    schema: {
      tags: ['events'],
      summary: 'Record up to 1000 events; bad events are reported in rejected[] and the rest accepted',
      body: EventsBody, response: { 200: EventsResponse, ...errorResponses },
    },
  }, async (request) => {
    const arrivedAt = freshness.now();
    const result = await ingestor.ingest(request.body.events);
    if (result.accepted > 0) freshness.accepted(membersOf(request.body.events, result.rejected), arrivedAt);
    metrics.eventsIngested.inc(result.accepted);
    if (result.duplicates) metrics.eventsDuplicate.inc(result.duplicates);
    for (const r of result.rejected) metrics.eventsRejected.inc({ code: r.code });
    return result;
  });
}
