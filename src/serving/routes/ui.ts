/** Serves the console UI's static files (the UI itself talks to the API over HTTP only). */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { VitrineError } from '../../core/errors.ts';
import { clientBundle } from '../client-bundle.ts';

const STATIC_DIR = new URL('../../web/static/', import.meta.url);
const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
// a Map: GET /ui/__proto__ or /ui/toString must be a 404, not an inherited property
const FILES = new Map<string, string>([
  ['index.html', HTML], ['app.js', JS], ['dom.js', JS], ['storefront.js', JS], ['style.css', 'text/css; charset=utf-8'],
]);

/** Registers GET /, GET /ui/vitrine-client.js (src/client, bundled) and GET /ui/:file for the files listed above (no directory traversal possible). */
export function uiRoutes(app: FastifyInstance): void {
  const send = async (file: string) => readFile(new URL(file, STATIC_DIR));
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type(HTML).send(await send('index.html')));
  app.get('/ui/vitrine-client.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(JS).header('cache-control', 'no-cache').send(await clientBundle()));
  app.get<{ Params: { file: string } }>('/ui/:file', { schema: { hide: true } }, async (request, reply) => {
    const type = FILES.get(request.params.file);
    if (!type) throw new VitrineError('VITRINE_ROUTE_NOT_FOUND', `no UI file ${request.params.file}`);
    return reply.type(type).send(await send(request.params.file));
  });
}
