/** Operations: liveness, readiness, Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import { AggregatorRegistry } from 'prom-client';
import { VitrineError } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { ReadinessProbe } from '../readiness.ts';

/** A check older than this is refreshed in the background; HAProxy checks every second. */
const READY_REFRESH_MS = 500;
/** No successful check for this long is unready, however slow the current one: above a pooled
 * connection's 5 s wait (VITRINE_STORE_BUSY), so only a store that hangs trips it first */
const READY_STALE_MS = 10_000;

/** Registers /healthz, /readyz and /metrics (public: no key needed). */
export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is alive' } }, async () => ({ status: 'ok' }));

  // answered from the latest check, refreshed in the background (readiness.ts): a check queued behind
  // pages under overload must not mark a serving node down, a failed one must. Real elapsed time, not
  // ctx.clock: a check's age is about HAProxy's seconds, not the business clock
  const readiness = new ReadinessProbe([
    { run: () => ctx.store.ping(), describe: () => new VitrineError('VITRINE_STORE_UNAVAILABLE') },
    ...(ctx.sharedState ? [{
      run: () => ctx.sharedState!.ping(),
      describe: (err: unknown) => new VitrineError('VITRINE_STATE_UNAVAILABLE', `member-state Redis: ${(err as Error).message}`),
    }] : []),
  ], { refreshMs: READY_REFRESH_MS, staleMs: READY_STALE_MS, clock: () => performance.now() });
  app.get('/readyz', { schema: { tags: ['operations'], summary: 'The store answers and a recommender (or fallback) is ready' } },
    async (_request, reply) => {
      const status = await readiness.status();
      if (!status.ready) return reply.status(503).send({ error: status.error.toJSON() });
      // the static fallback list cannot fail, so a reachable store (and Redis, when used) is enough to serve pages
      return { status: 'ready', store: ctx.store.kind, ...(ctx.sharedState ? { state: 'redis' } : {}) };
    });

  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics', hide: false } }, async (_request, reply) => {
    const { registry } = ctx.metrics;
    const replicas = await ctx.serving.metrics();
    if (replicas.length === 0) return reply.type(registry.contentType).send(await registry.metrics());
    // the page workers' (and a standby's) counters (fallbacks, caches, members held) added to this thread's, by name and labels
    const merged = AggregatorRegistry.aggregate([await registry.getMetricsAsJSON(), ...replicas]);
    return reply.type(registry.contentType).send(await merged.metrics());
  });
}
