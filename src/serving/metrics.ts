/** Prometheus metrics, one registry per app so that several apps (tests) do not collide. */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface AppMetrics {
  registry: Registry;
  requestSeconds: Histogram<'method' | 'route' | 'status'>;
  eventsIngested: Counter;
  eventsDuplicate: Counter;
  eventsRejected: Counter<'code'>;
  /** event arrival → its member's next page sent, without the member's pause (freshness.ts) */
  freshnessSeconds: Histogram;
}

/** Creates the app's metrics; process metrics (memory, event loop lag) included. */
export function createMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vitrine_' });
  return {
    registry,
    requestSeconds: new Histogram({
      name: 'vitrine_http_request_duration_seconds', help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'] as const, registers: [registry],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5],
    }),
    eventsIngested: new Counter({ name: 'vitrine_events_ingested_total', help: 'Events accepted and stored', registers: [registry] }),
    eventsDuplicate: new Counter({ name: 'vitrine_events_duplicate_total', help: 'Events ignored as duplicates (id seen before)', registers: [registry] }),
    eventsRejected: new Counter({
      name: 'vitrine_events_rejected_total', help: 'Events rejected, by error code', labelNames: ['code'] as const, registers: [registry],
    }),
    freshnessSeconds: new Histogram({
      name: 'vitrine_freshness_seconds', registers: [registry],
      help: 'An event\'s request (arrival to accepted) plus its member\'s first page asked for after it (asked to sent): how long an event takes to show to a member who asks at once',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5],
    }),
  };
}
