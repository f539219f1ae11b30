/** Operations: liveness, readiness, Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import { AggregatorRegistry } from 'prom-client';
import { VitrineError } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';

/** Registers /healthz, /readyz and /metrics (public: no key needed). */
export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is alive' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { tags: ['operations'], summary: 'The store answers and a recommender (or fallback) is ready' } },
    async (_request, reply) => {
      try {
        await ctx.store.ping();
      } catch (err) {
        const v = err instanceof VitrineError ? err : new VitrineError('VITRINE_STORE_UNAVAILABLE');
        return reply.status(503).send({ error: v.toJSON() });
      }
      if (ctx.sharedState) {
        try {
          await ctx.sharedState.ping();
        } catch (err) {
          const v = new VitrineError('VITRINE_STATE_UNAVAILABLE', `member-state Redis: ${(err as Error).message}`);
          return reply.status(503).send({ error: v.toJSON() });
        }
      }
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
