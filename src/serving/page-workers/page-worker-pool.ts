/**
 * The HTTP thread's side of the page workers (ADR 0010): starts them, sends each page to the worker
 * that owns the member, and sends every change to all of them, resolving once each live one has
 * applied it.
 *
 * When a worker cannot serve — it exited (out of memory past serving.pageWorkerHeapMb, say), failed
 * to apply a change, or has left a request unanswered for HUNG_MS — it is retired and a new one is
 * started in its place (after RESTART_DELAY_MS, doubling while starts keep failing). Until the new
 * one is ready, and for any single page its worker does not answer within the request budget +
 * PAGE_GRACE_MS while answering nothing else (stuck, not merely busy), the page is composed on the
 * HTTP thread (`fallback`), whose state is always current. A starting worker is sent every change
 * from the moment it is spawned (it applies them after loading, in order), so it is current when it
 * goes live.
 */
import type { Worker } from 'node:worker_threads';
import { Counter, type Registry } from 'prom-client';
import type { VitrineConfig } from '../../core/config.ts';
import { isErrorCode, VitrineError } from '../../core/errors.ts';
import { spawnModuleWorker } from '../../ml/common/spawn-worker.ts';
import { stopWorker } from '../../storage/sqlite/stop-worker.ts';
import type { PayloadBuffers } from '../models/shared-payloads.ts';
import { PageWorkerHandle } from './page-worker-handle.ts';
import { ownerOf, type PageQuery, type PageWorkerData, type ServingChange, type ServingReplicas, type WorkerMetrics, type WorkerReply } from './protocol.ts';

// a page the worker has not answered by the request budget plus this is composed here instead
const PAGE_GRACE_MS = 100;
// a worker with a request unanswered this long is hung: retired and replaced
const HUNG_MS = 10_000;
// loading the catalogue and models (and building ANN indexes) at start-up
const START_TIMEOUT_MS = 300_000;
const RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;

export interface PageWorkerPoolOptions {
  config: Readonly<VitrineConfig>;
  count: number;
  /** where the pool's counters are registered */
  registry: Registry;
  /** the app's clock (epoch ms): workers keep its offset from the system clock */
  clock: () => number;
  log: { warn(message: string): void; info(message: string): void };
  /** the HTTP thread's model payloads, handed to each worker at start and with every `models` change */
  payloads: () => PayloadBuffers;
}

export class PageWorkerPool implements ServingReplicas {
  private readonly workers: PageWorkerHandle[] = [];
  private readonly restartDelay: number[];
  private closing = false;
  private readonly composed: Counter<'where'>;
  private readonly restarts: Counter;

  private constructor(private readonly opts: PageWorkerPoolOptions) {
    this.restartDelay = Array.from({ length: opts.count }, () => RESTART_DELAY_MS);
    this.composed = new Counter({
      name: 'vitrine_pages_composed_total', help: 'Pages composed by a page worker, or on the HTTP thread (a worker starting again, or late)',
      labelNames: ['where'] as const, registers: [opts.registry],
    });
    this.restarts = new Counter({ name: 'vitrine_page_worker_restarts_total', help: 'Page workers replaced after exiting, failing or hanging', registers: [opts.registry] });
  }

  /** Starts `count` workers and resolves once every one has loaded the catalogue and models. */
  static async start(opts: PageWorkerPoolOptions): Promise<PageWorkerPool> {
    const pool = new PageWorkerPool(opts);
    const started = Array.from({ length: opts.count }, (_, index) => pool.spawn(index));
    try {
      await Promise.all(started);
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /**
   * The member's page as JSON from its worker; from `fallback` (this thread) while that worker is not
   * live or when it does not answer within the request budget plus PAGE_GRACE_MS.
   */
  async page(userId: string, query: PageQuery, fallback: () => Promise<string>): Promise<string> {
    const handle = this.workers[ownerOf(userId, this.workers.length)];
    const here = () => {
      this.composed.inc({ where: 'http-thread' });
      return fallback();
    };
    if (handle.state !== 'live') return here();
    const waitMs = this.opts.config.serving.budgetMs + PAGE_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), waitMs); });
    try {
      const answer = handle.request({ op: 'page', userId, query });
      let reply = await Promise.race([answer, late]);
      if (reply === 'late') {
        if (handle.oldestPendingMs() > HUNG_MS) handle.retire(`left a request unanswered for over ${HUNG_MS} ms`);
        // a worker answering other requests meanwhile is busy, not stuck: composing here as well would
        // add this thread's work to an overload (and copy the member's state here), so wait for it; if
        // it hangs after all, the HUNG_MS check retires it and the page is composed here then
        else if (handle.state === 'live' && handle.msSinceReply() < waitMs) reply = await answer;
        if (reply === 'late') return here();
      }
      if ('json' in reply) {
        this.composed.inc({ where: 'worker' });
        return reply.json;
      }
      throw errorOf(reply);
    } catch (err) {
      if (err instanceof VitrineError) throw err;
      return here();
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Applies `change` on every worker; resolves once each live one has. A starting worker gets it too
   * (in order, after its load). One that fails to apply it is retired and replaced.
   */
  async sync(change: ServingChange): Promise<void> {
    if (change.kind === 'models') change = { ...change, payloads: this.opts.payloads() };
    await Promise.all(this.workers.filter((w) => w.state !== 'retired').map(async (w) => {
      const applied = w.request({ op: 'change', change }).then((reply) => {
        if ('error' in reply) throw errorOf(reply);
      }).catch((err: unknown) => w.retire(`could not apply a change (${change.kind}): ${err instanceof Error ? err.message : String(err)}`));
      if (w.state === 'live') await applied;
    }));
  }

  /** The live workers' metrics, for /metrics to add up with this thread's. */
  async metrics(): Promise<WorkerMetrics[]> {
    const replies = await Promise.all(this.workers.filter((w) => w.state === 'live').map((w) => w.request({ op: 'metrics' }).catch(() => undefined)));
    return replies.flatMap((r) => (r && 'metrics' in r ? [r.metrics] : []));
  }

  /** workers composing pages now */
  get live(): number {
    return this.workers.filter((w) => w.state === 'live').length;
  }

  /** The worker threads, in owner order (tests stop one to see its members served here meanwhile). */
  threads(): readonly Worker[] {
    return this.workers.map((w) => w.worker);
  }

  /** Logs the pages each worker served and stops them; none is replaced from now on. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map(async (w) => {
      if (w.state === 'retired') return;
      w.state = 'retired'; // no new requests; its exit is expected
      await stopWorker(w.worker);
    }));
  }

  /** Starts the worker at `index`; resolves when it is ready (rejects if it cannot start). */
  private spawn(index: number): Promise<void> {
    const { config, count, clock, log } = this.opts;
    const heapMb = config.serving.pageWorkerHeapMb;
    const worker = spawnModuleWorker(new URL('./page-worker.ts', import.meta.url), {
      config: workerConfig(config, count), clockOffsetMs: Math.round(clock() - Date.now()), payloads: this.opts.payloads(),
    } satisfies PageWorkerData, heapMb > 0 ? { maxOldGenerationSizeMb: heapMb } : undefined);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => handle.retire(`did not start within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
      const handle = new PageWorkerHandle(worker, index, {
        log: (level, message) => log[level](`page worker ${index}: ${message}`),
        ready: () => {
          clearTimeout(timer);
          this.restartDelay[index] = RESTART_DELAY_MS;
          resolve();
        },
        gone: (why) => {
          clearTimeout(timer);
          reject(new Error(`page worker ${index} ${why}`));
          if (this.closing) return;
          log.warn(`page worker ${index} ${why}; its members' pages are composed on the HTTP thread until it is replaced`);
          this.replaceLater(index);
        },
      });
      this.workers[index] = handle;
    });
  }

  private replaceLater(index: number): void {
    const delay = this.restartDelay[index];
    this.restartDelay[index] = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
    setTimeout(() => {
      if (this.closing) return;
      this.restarts.inc();
      this.spawn(index).then(() => this.opts.log.info(`page worker ${index} replaced`), () => undefined);
    }, delay).unref();
  }
}

/**
 * A worker's configuration: the bounds on members held (state, fold-in vectors, cached pages and
 * rows) are shares of the configured ones, since each worker holds only its own members; so the
 * configured bounds hold for the workers as a whole.
 */
export function workerConfig(config: Readonly<VitrineConfig>, count: number): Readonly<VitrineConfig> {
  const share = (n: number) => (n === 0 ? 0 : Math.max(1, Math.ceil(n / count)));
  const s = config.serving;
  return {
    ...config,
    serving: { ...s, memberStateCap: share(s.memberStateCap), foldInCacheSize: share(s.foldInCacheSize), rowCacheMembers: share(s.rowCacheMembers) },
  };
}

function errorOf(reply: WorkerReply): Error {
  if (!('error' in reply)) return new Error('unexpected reply from a page worker');
  const { code, message } = reply.error;
  return code && isErrorCode(code) ? new VitrineError(code, message) : new Error(message);
}
