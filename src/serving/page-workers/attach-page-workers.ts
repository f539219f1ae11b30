/** Starts the page workers a configuration asks for and makes them the app's replicas (ADR 0010). */
import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import type { AppContext } from '../context.ts';
import { PageWorkerPool } from './page-worker-pool.ts';

/**
 * The pool when serving.pageWorkers > 0 and the store is a file the workers can open; undefined
 * otherwise (pages are composed on the HTTP thread). Accepted events reach every worker before
 * their 200; the pool stops with the app.
 */
export async function startPageWorkers(
  app: FastifyInstance, ctx: AppContext, log: { warn(m: string): void; info(m: string): void },
): Promise<PageWorkerPool | undefined> {
  const count = ctx.config.serving.pageWorkers;
  if (count === 0) return undefined;
  if (ctx.store.kind !== 'sqlite' || !ctx.config.store.url || ctx.config.store.url.endsWith(':memory:')) {
    log.warn(`serving.pageWorkers = ${count} needs a store file the workers can open (store.url "${ctx.config.store.url}"): pages are composed on the HTTP thread`);
    return undefined;
  }
  const pool = await PageWorkerPool.start({
    config: ctx.config, count, clock: ctx.clock, registry: ctx.metrics.registry, log, payloads: () => ctx.payloads.buffersHeld(),
  });
  ctx.replicas = pool;
  new Gauge({
    name: 'vitrine_page_workers_live', help: 'Page workers composing pages (serving.pageWorkers; fewer while a lost one is being replaced)',
    registers: [ctx.metrics.registry], collect() { this.set(pool.live); },
  });
  ctx.ingestor.onAccepted((events) => pool.sync({ kind: 'events', events }));
  app.addHook('onClose', async () => pool.close());
  log.info(`${count} page worker(s) started: members' pages are composed off the HTTP thread`);
  return pool;
}
