/**
 * GET /ui/vitrine-client.js: the typed client (src/client) as one browser ES module, for a shop's own
 * pages (docs/client.md § In the browser). The console bundles the client's source itself.
 */
import type { FastifyInstance } from 'fastify';
import { clientBundle } from '../client-bundle.ts';

/** Registers GET /ui/vitrine-client.js (src/client, bundled on the first request). */
export function clientModuleRoutes(app: FastifyInstance): void {
  app.get('/ui/vitrine-client.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(await clientBundle()));
}
