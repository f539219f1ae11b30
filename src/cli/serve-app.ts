/**
 * Builds the app and listens, for `vitrine serve` and `vitrine demo`. A failure closes what was
 * opened (the app's page workers, the store's threads), so the process exits with the one-line error
 * instead of hanging, and the usual reasons a listen fails become typed errors, not stack traces.
 */
import type { FastifyInstance } from 'fastify';
import type { VitrineConfig } from '../core/config.ts';
import { VitrineError } from '../core/errors.ts';
import type { Store } from '../storage/store.ts';

/** The listening app on `config.server`; closes the app and the store and rethrows when it cannot start. */
export async function serveApp(config: Readonly<VitrineConfig>, store: Store): Promise<FastifyInstance> {
  let app: FastifyInstance | undefined;
  try {
    // loaded here, not at the top: a start-up that fails earlier (config, bind, store) exits without it
    const { buildApp } = await import('../serving/app.ts');
    ({ app } = await buildApp({ config, store }));
    await listen(app, config.server.host, config.server.port);
    return app;
  } catch (err) {
    await app?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw err;
  }
}

async function listen(app: FastifyInstance, host: string, port: number): Promise<void> {
  try {
    await app.listen({ host, port });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'EADDRINUSE') {
      throw new VitrineError('VITRINE_SERVER_PORT_IN_USE', `cannot listen on ${host}:${port}: the port is in use by another process (choose another with --port)`);
    }
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new VitrineError('VITRINE_SERVER_CANNOT_LISTEN', `cannot listen on ${host}:${port}: ${(err as Error).message}`);
    }
    throw err;
  }
}
