/**
 * The HTTP app, built without listening so tests drive it in-process with `inject()`.
 * Request schemas validate and also generate /openapi.json (UI at /docs).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { VitrineConfig } from '../core/config.ts';
import { ERROR_CODES } from '../core/errors.ts';
import { ErrorBody } from '../core/schemas/common.ts';
import { EventIngestor } from '../pipeline/ingest.ts';
import type { Store } from '../storage/store.ts';
import { assertSafeBind, registerAuth } from './auth.ts';
import type { AppContext } from './context.ts';
import { registerErrorHandling } from './http-errors.ts';
import { attachPageEngine } from './page/attach-page-engine.ts';
import type { PageEngine } from './page/page-engine.ts';
import { createMetrics } from './metrics.ts';
import { TrainingJobs } from './models/training-jobs.ts';
import { registerOnlineStateMetrics } from './online/online-metrics.ts';
import { registerPayloadMetrics } from './models/shared-payloads.ts';
import { buildReadSide } from './read-side.ts';
import { NO_REPLICAS } from './page-workers/protocol.ts';
import { startPageWorkers } from './page-workers/attach-page-workers.ts';
import type { PageWorkerPool } from './page-workers/page-worker-pool.ts';
import { browseRoutes } from './routes/browse.ts';
import { carouselRoutes } from './routes/carousels.ts';
import { eventRoutes } from './routes/events.ts';
import { experimentRoutes } from './routes/experiments.ts';
import { healthRoutes } from './routes/health.ts';
import { itemRoutes } from './routes/items.ts';
import { modelRoutes } from './routes/models.ts';
import { pageTemplateRoutes } from './routes/pages.ts';
import { uiRoutes } from './routes/ui.ts';
import { userRoutes } from './routes/users.ts';

export interface BuildAppOptions {
  config: Readonly<VitrineConfig>;
  store: Store;
  /** the clock (epoch ms); tests pass a fixed one */
  clock?: () => number;
  /** pino logger options or false; defaults to JSON logs at config.log.level */
  logger?: boolean | Record<string, unknown>;
}

export interface VitrineApp {
  app: FastifyInstance;
  context: AppContext;
  /** the read side: page composition, its caches, the row-order bandit */
  pages: PageEngine;
  /** the page workers, when serving.pageWorkers > 0 (ADR 0010) */
  pageWorkers?: PageWorkerPool;
}

/** Builds the Fastify app and its context (store, ingest pipeline, metrics); does not listen. */
export async function buildApp(opts: BuildAppOptions): Promise<VitrineApp> {
  const { config, store } = opts;
  assertSafeBind(config);
  const clock = opts.clock ?? Date.now;
  const app = Fastify({
    logger: opts.logger ?? { level: config.log.level },
    bodyLimit: config.server.bodyLimitBytes,
    // ids may be 128 characters; longer ones must reach the schema (400 BAD_ID), not miss the route
    routerOptions: { maxParamLength: 512 },
    // unknown fields must be rejected, not silently removed (Fastify's default strips them)
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
    // per-request info lines cost ingest throughput; latency per route is in /metrics instead
    logController: new LogController({ disableRequestLogging: true }),
  });
  const metrics = createMetrics();
  const log = { warn: (m: string) => app.log.warn(m), info: (m: string) => app.log.info(m) };
  const { online, catalogue, models, payloads, merchandising, jobs, fault } = await buildServingState(opts, clock, log.warn, log.info, () => context.replicas.sync({ kind: 'models' }));
  const context: AppContext = {
    config, store, metrics, clock,
    ingestor: new EventIngestor(store, { futureToleranceMs: config.ingest.futureToleranceMs, clock }),
    online, catalogue, models, payloads, jobs, ...(fault ? { fault } : {}),
    merchandising, replicas: NO_REPLICAS,
  };
  // online state sees every accepted event before the ingest call (and so the event's 200) returns
  context.ingestor.onAccepted((events) => online.apply(events));
  registerOnlineStateMetrics(metrics.registry, online);
  registerPayloadMetrics(metrics.registry, payloads, 'http');
  app.addHook('onClose', async () => jobs.close());
  if (fault) app.log.warn(`VITRINE_FAULT=${fault}: every current model is made to fail (tests and demonstrations only)`);

  registerErrorHandling(app);
  app.addSchema(ErrorBody);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vitrine API', version: '1',
        description: `Pages of personalized carousels. Error codes: ${Object.keys(ERROR_CODES).join(', ')}.`,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerAuth(app, config);
  app.addHook('onResponse', async (request, reply) => {
    metrics.requestSeconds.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  healthRoutes(app, context);
  itemRoutes(app, context);
  userRoutes(app, context);
  eventRoutes(app, context);
  browseRoutes(app, context);
  modelRoutes(app, context);
  carouselRoutes(app, context);
  pageTemplateRoutes(app, context);
  const workers = await startPageWorkers(app, context, log);
  const pages = attachPageEngine(app, context, workers);
  experimentRoutes(app, context, async () => {
    await Promise.all([pages.flushServed(), context.replicas.sync({ kind: 'flush' })]);
  });
  uiRoutes(app);
  return { app, context, pages, ...(workers ? { pageWorkers: workers } : {}) };
}

/** The read side (read-side.ts) and the training jobs. */
async function buildServingState(
  opts: BuildAppOptions, clock: () => number, warn: (message: string) => void, info: (message: string) => void,
  afterReload: () => Promise<void>,
) {
  const { config, store } = opts;
  const readSide = await buildReadSide({ config, store, clock, warn, info });
  const jobs = new TrainingJobs({
    store, storeUrl: config.store.url, dataDir: config.dataDir, models: readSide.models, afterReload, gate: config.training.gate, clock,
    // a second connection to an in-memory database would open another, empty one
    inWorker: config.training.inWorker && !config.store.url.endsWith(':memory:'),
  });
  return { ...readSide, jobs };
}
