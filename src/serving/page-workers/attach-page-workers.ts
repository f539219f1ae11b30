/** Starts the page workers a configuration asks for (ADR 0010). */
import { Gauge } from 'prom-client';
import type { VitrineConfig } from '../../core/config.ts';
import type { Store } from '../../storage/store.ts';
import type { AppMetrics } from '../metrics.ts';
import type { SharedPayloads } from '../models/shared-payloads.ts';
import type { ReplicaHandle } from '../replica/replica-handle.ts';
import { PageWorkerPool } from './page-worker-pool.ts';

/** Whether pages are composed by page workers: serving.pageWorkers > 0 and a store the workers can open (a file or a server). */
export function pageWorkersWanted(config: Readonly<VitrineConfig>, store: Store, warn: (message: string) => void): boolean {
  const count = config.serving.pageWorkers;
  if (count === 0) return false;
  const opensAgain = store.kind === 'postgres' || (store.kind === 'sqlite' && !config.store.url.endsWith(':memory:'));
  if (!opensAgain || !config.store.url) {
    warn(`serving.pageWorkers = ${count} needs a store the workers can open (store.url "${config.store.url}"): pages are composed on the HTTP thread`);
    return false;
  }
  return true;
}

/** The pool of serving.pageWorkers workers, started (each has loaded the catalogue and models), with `standby` for when none is live; the serving router stops it. */
export async function startPageWorkers(
  ctx: { config: Readonly<VitrineConfig>; metrics: AppMetrics; clock: () => number; payloads: SharedPayloads; standby: ReplicaHandle },
  log: { warn(m: string): void; info(m: string): void },
): Promise<PageWorkerPool> {
  const count = ctx.config.serving.pageWorkers;
  const pool = await PageWorkerPool.start({
    config: ctx.config, count, clock: ctx.clock, registry: ctx.metrics.registry, log, payloads: () => ctx.payloads.buffersHeld(),
    standby: ctx.standby,
  });
  new Gauge({
    name: 'vitrine_page_workers_live', help: 'Page workers composing pages (serving.pageWorkers; fewer while a lost one is being replaced)',
    registers: [ctx.metrics.registry], collect() { this.set(pool.live); },
  });
  log.info(`${count} page worker(s) started: members' pages and lists are composed off the HTTP thread`);
  return pool;
}
