/**
 * The HTTP app, built without listening so tests drive it in-process with `inject()`.
 * Request schemas validate and also generate /openapi.json (UI at /docs).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { Registry } from 'prom-client';
import type { VitrineConfig } from '../core/config.ts';
import { ERROR_CODES } from '../core/errors.ts';
import { ErrorBody } from '../core/schemas/common.ts';
import { EventIngestor } from '../pipeline/ingest.ts';
import { failInterruptedTraining } from '../pipeline/interrupted-training.ts';
import { changeFeedOf } from '../storage/change-feed.ts';
import type { Store } from '../storage/store.ts';
import { assertSafeBind, registerAuth } from './auth.ts';
import type { AppContext } from './context.ts';
import { requireFiniteNumbers } from './finite-numbers.ts';
import type { Timers } from './fallback/deadline.ts';
import { AJV_OPTIONS, buildRequestValidator } from './request-validators.ts';
import { registerErrorHandling, sendFrameworkError } from './http-errors.ts';
import { createMetrics } from './metrics.ts';
import { TrainingJobs } from './models/training-jobs.ts';
import { faultFromEnv } from './models/fault-injection.ts';
import { RegistryModelManager } from './models/model-manager.ts';
import { registerPayloadMetrics, SharedPayloads } from './models/shared-payloads.ts';
import { MerchandisingCache } from './merchandising/merchandising-cache.ts';
import { modelManagerOptions } from './models/manager-options.ts';
import { pageWorkersWanted, startPageWorkers } from './page-workers/attach-page-workers.ts';
import { InThreadReplica } from './replica/in-thread-replica.ts';
import { ServingReplica, type ServingReplicaOptions } from './replica/serving-replica.ts';
import { ServingRouter } from './serving-router.ts';
import { followStoreChanges } from './store-changes.ts';
import type { PageWorkerPool } from './page-workers/page-worker-pool.ts';
import { browseRoutes } from './routes/browse.ts';
import { carouselRoutes } from './routes/carousels.ts';
import { eventRoutes } from './routes/events.ts';
import { experimentRoutes } from './routes/experiments.ts';
import { healthRoutes } from './routes/health.ts';
import { itemRoutes } from './routes/items.ts';
import { listRoutes } from './routes/lists.ts';
import { modelRoutes } from './routes/models.ts';
import { pageRoutes } from './routes/page.ts';
import { pageTemplateRoutes } from './routes/pages.ts';
import { adminRoutes } from './routes/admin.ts';
import { sessionRoutes } from './routes/session.ts';
import { clientModuleRoutes } from './routes/client-module.ts';
import { FreshnessTracker } from './freshness.ts';
import { userRoutes } from './routes/users.ts';
import { openOnlineState, sharedState as sharedStateWanted } from './online/open-online-state.ts';
import type { RedisMemberState } from './online/redis/redis-member-state.ts';
import { registerRedisWriterMetrics } from './online/redis/redis-state-metrics.ts';

export interface BuildAppOptions {
  config: Readonly<VitrineConfig>;
  store: Store;
  /** the clock (epoch ms); tests pass a fixed one */
  clock?: () => number;
  /** pino logger options or false; defaults to JSON logs at config.log.level */
  logger?: boolean | Record<string, unknown>;
  /** the row-order bandit's uniform [0, 1) source on the HTTP thread (replays seed it); Math.random by default */
  random?: () => number;
  /** the page deadlines' clock and timers on the HTTP thread (tests drive time by hand); real ones by default */
  timers?: Timers;
}

export interface VitrineApp {
  app: FastifyInstance;
  context: AppContext;
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
    frameworkErrors: sendFrameworkError,
    // unknown fields must be rejected, not silently removed (Fastify's default strips them)
    ajv: AJV_OPTIONS,
    // query strings are coerced to their types, JSON bodies never (request-validators.ts)
    schemaController: { compilersFactory: { buildValidator: buildRequestValidator } },
    // per-request info lines cost ingest throughput; latency per route is in /metrics instead
    logController: new LogController({ disableRequestLogging: true }),
  });
  const metrics = createMetrics();
  const freshness = new FreshnessTracker((seconds) => metrics.freshnessSeconds.observe(seconds));
  const log = { warn: (m: string) => app.log.warn(m), info: (m: string) => app.log.info(m) };
  const ingestor = new EventIngestor(store, { futureToleranceMs: config.ingest.futureToleranceMs, clock });
  const fault = faultFromEnv();
  const payloads = new SharedPayloads();
  const merchandising = new MerchandisingCache(store, { clock });
  const workers = pageWorkersWanted(config, store, log.warn);
  // on a shared store: opened before models and catalogue load, so no write of another node in between is missed
  const changes = await changeFeedOf(store)?.openChangeFeed({ pollIntervalMs: config.store.changePollMs, log: log.warn });
  // with page workers this thread serves nothing itself: its manager only loads, verifies and pools
  // the versions the workers serve (ADR 0013)
  const models = new RegistryModelManager(modelManagerOptions({ config, store, ...log, payloads, fault, serving: !workers }));
  await models.reload();
  // this thread's replica: it serves every page without page workers, and is their standby with them
  // (its counters then kept apart, merged into /metrics as a worker's are)
  const standbyRegistry = workers ? new Registry() : undefined;
  const inThread = new InThreadReplica(() => startLocalReplica({
    config, store, clock, ...log, payloads, merchandising, registry: standbyRegistry ?? metrics.registry,
    ...(workers ? {} : { models }), ...(opts.random ? { random: opts.random } : {}), ...(opts.timers ? { timers: opts.timers } : {}),
  }, workers), standbyRegistry);
  const pool = workers ? await startPageWorkers({ config, metrics, clock, payloads, standby: inThread }, log) : undefined;
  if (!pool) await inThread.replica();
  const serving = new ServingRouter(pool ?? inThread, inThread, payloads);
  // no job runs yet: a `training` row is one a stopped process left behind
  for (const m of await failInterruptedTraining(store, 'training was interrupted (the process stopped while it ran)')) {
    log.warn(`model ${m.version} was left in training by a stopped process: marked failed`);
  }
  const jobs = new TrainingJobs({
    store, storeUrl: config.store.url, dataDir: config.dataDir, models, afterReload: () => serving.apply({ kind: 'models' }), gate: config.training.gate,
    easeMaxItems: config.training.easeMaxItems, positives: config.training.positives, keepVersions: config.models.keepVersions, clock,
    // a second connection to an in-memory database would open another, empty one
    inWorker: config.training.inWorker && !config.store.url.endsWith(':memory:'),
  });
  // member state in Redis: this thread applies each accepted batch once, before its 200 (ADR 0022)
  const sharedState = sharedStateWanted(config)
    ? await openOnlineState(config, store, { writer: true, warn: log.warn }) as RedisMemberState : undefined;
  if (sharedState) registerRedisWriterMetrics(metrics.registry, sharedState);
  const context: AppContext = {
    config, store, metrics, freshness, clock, ingestor, models, payloads, jobs, ...(fault ? { fault } : {}), merchandising, serving,
    ...(sharedState ? { sharedState } : {}),
  };
  // every replica sees every accepted event before the ingest call (and so the event's 200) returns:
  // shared (Redis) state by this thread's writer first; page workers apply it before any read sent
  // after it (ADR 0014)
  ingestor.onAccepted(async (events) => {
    await sharedState?.apply(events);
    await serving.apply({ kind: 'events', events });
  });
  if (changes) followStoreChanges(changes, { models, serving, log: log.info });
  registerPayloadMetrics(metrics.registry, payloads, 'http');
  app.addHook('onClose', async () => {
    await changes?.close();
    await jobs.close();
    await serving.close();
    await sharedState?.close();
  });
  if (fault) app.log.warn(`VITRINE_FAULT=${fault}: every current model is made to fail (tests and demonstrations only)`);

  registerErrorHandling(app);
  requireFiniteNumbers(app);
  // JSON only: Fastify's built-in text/plain parser would hand a string to the schema (400); it is a 415
  app.removeContentTypeParser('text/plain');
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
  pageRoutes(app, serving, freshness);
  listRoutes(app, serving);
  experimentRoutes(app, context, () => serving.apply({ kind: 'flush' }));
  clientModuleRoutes(app);
  sessionRoutes(app);
  adminRoutes(app);
  return { app, context, ...(pool ? { pageWorkers: pool } : {}) };
}

/**
 * The HTTP thread's replica: with no page workers it shares this thread's model manager and
 * merchandising; as the standby of page workers it loads its own models from the pooled payloads
 * (nothing is read from files again) and says so in the log.
 */
async function startLocalReplica(opts: ServingReplicaOptions, standby: boolean): Promise<ServingReplica> {
  if (standby) opts.warn('no page worker is live: pages are composed on the HTTP thread, whose standby read side starts now (ADR 0013)');
  const payloads = standby ? new SharedPayloads(opts.payloads?.buffersHeld()) : opts.payloads;
  return ServingReplica.start({ ...opts, ...(payloads ? { payloads } : {}) });
}
