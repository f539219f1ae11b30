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
import { createMetrics } from './metrics.ts';
import { browseRoutes } from './routes/browse.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { itemRoutes } from './routes/items.ts';
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
  const context: AppContext = {
    config, store, metrics, clock,
    ingestor: new EventIngestor(store, { futureToleranceMs: config.ingest.futureToleranceMs, clock }),
  };

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
  uiRoutes(app);
  return { app, context };
}
