/**
 * The HTTP thread's side of the page workers (ADR 0010): starts them, sends each page to the worker
 * that owns the member, and sends every change to all of them, resolving once each has applied it.
 *
 * A worker that dies, fails to apply a change or does not answer a page in time is retired: from
 * then on its members' pages are composed on the HTTP thread (`fallback`), whose state is always
 * current. So a lost worker costs throughput, never a page or a stale one.
 * TODO(respawn): a retired worker is not restarted; /metrics shows vitrine_page_workers_live.
 */
import type { Worker } from 'node:worker_threads';
import { Counter, type Registry } from 'prom-client';
import type { VitrineConfig } from '../../core/config.ts';
import { VitrineError, type ErrorCode, isErrorCode } from '../../core/errors.ts';
import { spawnModuleWorker } from '../../ml/common/spawn-worker.ts';
import { stopWorker } from '../../storage/sqlite/stop-worker.ts';
import {
  ownerOf, type PageQuery, type PageWorkerData, type ServingChange, type ServingReplicas, type WorkerMetrics, type WorkerReply, type WorkerRequest,
  type WorkerStatus,
} from './protocol.ts';

// a page the worker has not answered by the request budget plus this is composed here instead
const PAGE_GRACE_MS = 100;
// loading the catalogue and models (and building ANN indexes) at start-up
const START_TIMEOUT_MS = 300_000;

export interface PageWorkerPoolOptions {
  config: Readonly<VitrineConfig>;
  count: number;
  /** where vitrine_pages_composed_total{where} is registered */
  registry: Registry;
  /** the app's clock (epoch ms): workers keep its offset from the system clock */
  clock: () => number;
  log: { warn(message: string): void; info(message: string): void };
}

type Request = WorkerRequest extends infer R ? R extends { id: number } ? Omit<R, 'id'> : never : never;

interface Pending {
  resolve: (reply: WorkerReply) => void;
  reject: (err: Error) => void;
}

class PageWorkerHandle {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  retired = false;

  constructor(readonly worker: Worker, readonly index: number, private readonly onGone: (why: string) => void) {
    worker.on('message', (m: WorkerReply) => {
      if (!('id' in m)) return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.resolve(m);
    });
    worker.on('error', (err) => this.gone(`failed: ${err.message}`));
    worker.on('exit', (code) => this.gone(`exited (code ${code})`));
  }

  request(body: Request): Promise<WorkerReply> {
    if (this.retired) return Promise.reject(new Error(`page worker ${this.index} is retired`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  gone(why: string): void {
    if (this.retired) return;
    this.retired = true;
    for (const p of this.pending.values()) p.reject(new Error(`page worker ${this.index} ${why}`));
    this.pending.clear();
    this.onGone(why);
  }
}

export class PageWorkerPool implements ServingReplicas {
  private readonly composed: Counter<'where'>;
  private constructor(private readonly workers: PageWorkerHandle[], private readonly opts: PageWorkerPoolOptions) {
    this.composed = new Counter({
      name: 'vitrine_pages_composed_total', help: 'Pages composed by a page worker, or on the HTTP thread for a lost worker\'s members',
      labelNames: ['where'] as const, registers: [opts.registry],
    });
  }

  /** Starts `count` workers and resolves once every one has loaded the catalogue and models. */
  static async start(opts: PageWorkerPoolOptions): Promise<PageWorkerPool> {
    const handles: PageWorkerHandle[] = [];
    const pool = new PageWorkerPool(handles, opts);
    const started = Array.from({ length: opts.count }, (_, index) => {
      const worker = spawnModuleWorker(new URL('./page-worker.ts', import.meta.url), {
        config: workerConfig(opts.config, opts.count), clockOffsetMs: Math.round(opts.clock() - Date.now()),
      } satisfies PageWorkerData);
      handles.push(new PageWorkerHandle(worker, index, (why) => pool.retired(index, why)));
      return readyOf(worker, index, opts.log);
    });
    try {
      await Promise.all(started);
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** the worker threads, in owner order (tests stop one to see its members served here) */
  threads(): readonly Worker[] {
    return this.workers.map((w) => w.worker);
  }

  /** workers still composing pages */
  get live(): number {
    return this.workers.filter((w) => !w.retired).length;
  }

  /**
   * The member's page as JSON from its worker; from `fallback` (this thread) when that worker is
   * retired or does not answer within the request budget plus PAGE_GRACE_MS.
   */
  async page(userId: string, query: PageQuery, fallback: () => Promise<string>): Promise<string> {
    const handle = this.workers[ownerOf(userId, this.workers.length)];
    const here = () => {
      this.composed.inc({ where: 'http-thread' });
      return fallback();
    };
    if (handle.retired) return here();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), this.opts.config.serving.budgetMs + PAGE_GRACE_MS); });
    try {
      const reply = await Promise.race([handle.request({ op: 'page', userId, query }), late]);
      if (reply === 'late') {
        handle.gone(`did not answer a page within ${this.opts.config.serving.budgetMs + PAGE_GRACE_MS} ms`);
        void handle.worker.terminate();
        return here();
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

  /** Applies `change` on every live worker; one that fails to is retired (its members are served here). */
  async sync(change: ServingChange): Promise<void> {
    await Promise.all(this.workers.filter((w) => !w.retired).map(async (w) => {
      try {
        const reply = await w.request({ op: 'change', change });
        if ('error' in reply) throw errorOf(reply);
      } catch (err) {
        w.gone(`could not apply a change (${change.kind}): ${err instanceof Error ? err.message : String(err)}`);
        void w.worker.terminate();
      }
    }));
  }

  /** The live workers' metrics, for /metrics to add up with this thread's. */
  async metrics(): Promise<WorkerMetrics[]> {
    const replies = await Promise.all(this.workers.filter((w) => !w.retired).map((w) => w.request({ op: 'metrics' }).catch(() => undefined)));
    return replies.flatMap((r) => (r && 'metrics' in r ? [r.metrics] : []));
  }

  /** Logs the pages each worker served and stops them. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map(async (w) => {
      const wasLive = !w.retired;
      w.retired = true; // no new requests; its exit is expected
      if (wasLive) await stopWorker(w.worker);
      else await w.worker.terminate();
    }));
  }

  private retired(index: number, why: string): void {
    this.opts.log.warn(`page worker ${index} ${why}; its members' pages are composed on the HTTP thread from now on`);
  }
}

/**
 * A worker's configuration: the bounds on members held (state, fold-in vectors, cached pages and
 * rows) are shares of the configured ones, since each worker holds only its own members; so the
 * configured bounds hold for the process as a whole.
 */
export function workerConfig(config: Readonly<VitrineConfig>, count: number): Readonly<VitrineConfig> {
  const share = (n: number) => (n === 0 ? 0 : Math.max(1, Math.ceil(n / count)));
  const s = config.serving;
  return {
    ...config,
    serving: { ...s, memberStateCap: share(s.memberStateCap), foldInCacheSize: share(s.foldInCacheSize), rowCacheMembers: share(s.rowCacheMembers) },
  };
}

function readyOf(worker: Worker, index: number, log: PageWorkerPoolOptions['log']): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`page worker ${index} did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    worker.on('message', (m: WorkerStatus | WorkerReply) => {
      if ('log' in m) log[m.log](`page worker ${index}: ${m.message}`);
      else if ('ready' in m) { clearTimeout(timer); resolve(); }
      else if ('failed' in m) { clearTimeout(timer); reject(new Error(`page worker ${index} could not start: ${m.failed}`)); }
    });
    worker.once('exit', (code) => { clearTimeout(timer); reject(new Error(`page worker ${index} exited (code ${code}) while starting`)); });
  });
}

function errorOf(reply: WorkerReply): Error {
  if (!('error' in reply)) return new Error('unexpected reply from a page worker');
  const { code, message } = reply.error;
  return code && isErrorCode(code) ? new VitrineError(code as ErrorCode, message) : new Error(message);
}
