/**
 * The console, the one UI: one HTML shell for `/` (the storefront preview first), /admin and every
 * /admin/<screen> (the console routes in the browser), its script and stylesheet built from
 * src/web/console (src/serving/console-bundle.ts).
 * The console itself talks to the API over HTTP only, through the typed client.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { consoleBundle } from '../console-bundle.ts';

const SCREENS = ['storefront', 'merchandising', 'models', 'experiments', 'live'];

const SHELL = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Vitrine — console</title>
  <link rel="stylesheet" href="/admin/assets/console.css">
  <link rel="icon" href="data:,">
</head>
<body>
  <div id="app"><p>Loading the console…</p></div>
  <noscript>The Vitrine console needs JavaScript.</noscript>
  <script type="module" src="/admin/assets/console.js"></script>
</body>
</html>
`;

/** Registers GET /, /admin, /admin/<screen>, /admin/assets/console.js and /admin/assets/console.css. */
export function adminRoutes(app: FastifyInstance): void {
  const html = { schema: { hide: true } };
  const sendShell = async (_request: unknown, reply: FastifyReply) => reply.type('text/html; charset=utf-8').send(SHELL);
  app.get('/', html, sendShell);
  app.get('/admin', html, sendShell);
  for (const screen of SCREENS) app.get(`/admin/${screen}`, html, sendShell);
  app.get('/admin/assets/console.js', html, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send((await consoleBundle()).js));
  app.get('/admin/assets/console.css', html, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send((await consoleBundle()).css));
}
