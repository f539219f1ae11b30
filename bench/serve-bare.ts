/**
 * The serving benchmark's reference: a bare Fastify server whose page route returns a precomputed page
 * (the JSON of a real page, parsed once) — what HTTP, routing and JSON serialisation cost alone on this
 * machine. Run as a child process: `node --import tsx bench/serve-bare.ts PAGE.json`; it prints
 * "bare listening on http://HOST:PORT".
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const page = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Record<string, unknown>;
const app = Fastify({ logger: false });
app.get('/v1/users/:id/page', async () => page);
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`bare listening on ${address}`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
