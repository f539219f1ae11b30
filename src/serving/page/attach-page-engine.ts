/** Builds the app's page engine from its context and registers the read routes (one call in app.ts). */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import type { PageWorkerPool } from '../page-workers/page-worker-pool.ts';
import { recordImpressions } from '../experiments/record-impression.ts';
import { listRoutes } from '../routes/lists.ts';
import { pageRoutes } from '../routes/page.ts';
import { PageEngine } from './page-engine.ts';

/**
 * The page engine of `ctx`, listening to ingest, with its routes registered and its background work
 * stopped on close. With `workers`, pages are composed there and here only when a worker is lost.
 */
export function attachPageEngine(app: FastifyInstance, ctx: AppContext, workers?: PageWorkerPool): PageEngine {
  const { store } = ctx;
  const engine = new PageEngine({
    config: ctx.config, store, online: ctx.online, catalogue: ctx.catalogue, models: ctx.models, merchandising: ctx.merchandising,
    registry: ctx.metrics.registry, clock: ctx.clock,
    logImpressions: (pages) => recordImpressions(store, pages, { itemEvents: ctx.config.serving.impressionItemEvents }),
    warn: (message, err) => app.log.warn({ err }, message),
  });
  engine.start(ctx.ingestor);
  app.addHook('onClose', async () => engine.close());
  pageRoutes(app, engine, workers);
  listRoutes(app, engine);
  return engine;
}
