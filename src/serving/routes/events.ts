/** POST /v1/events: the pixel endpoint (API.md § Events). A 200 means every accepted event is durable. */
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../../core/schemas/common.ts';
import { EventsBody, EventsResponse } from '../../core/schemas/events.ts';
import type { AppContext } from '../context.ts';

/** Registers POST /v1/events. */
export function eventRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { ingestor, metrics } = ctx;
  app.post<{ Body: { events: unknown[] } }>('/v1/events', {
    config: { scope: 'write' },
    schema: {
      tags: ['events'],
      summary: 'Record up to 1000 events; bad events are reported in rejected[] and the rest accepted',
      body: EventsBody, response: { 200: EventsResponse, ...errorResponses },
    },
  }, async (request) => {
    const result = await ingestor.ingest(request.body.events);
    metrics.eventsIngested.inc(result.accepted);
    if (result.duplicates) metrics.eventsDuplicate.inc(result.duplicates);
    for (const r of result.rejected) metrics.eventsRejected.inc({ code: r.code });
    return result;
  });
}
