/**
 * The HTTP thread's side of the page workers (ADR 0010): starts them, sends each page and list to the
 * worker that owns the member, and sends every change to all of them, resolving once each live one
 * has applied it.
 *
 * When a worker cannot serve — it exited (out of memory past serving.pageWorkerHeapMb, say), failed
 * to apply a change, or has left a request unanswered for HUNG_MS — it is retired and a new one is
 * started in its place (after RESTART_DELAY_MS, doubling while starts keep failing). Until the new
 * one is ready, and for any single request its worker does not answer within the request budget +
 * PAGE_GRACE_MS while answering nothing else (stuck, not merely busy), another live worker answers
 * it: every worker gets every change and reads members it does not hold from the store, so its
 * answer is as fresh. With no worker live its standby does (the HTTP thread's in-thread replica, ADR 0013). A
 * starting worker is sent every change from the moment it is spawned (it applies them after loading,
 * in order), so it is current when it goes live. (Sending a stalled worker's reads to another was
 * tried and measured worse: ADR 0025.)
 */
import type { Worker } from 'node:worker_threads';
import { Counter, type Registry } from 'prom-client';
import type { VitrineConfig } from '../../core/config.ts';
import { isErrorCode, VitrineError } from '../../core/errors.ts';
import { spawnModuleWorker } from '../../ml/common/spawn-worker.ts';
import { stopWorker } from '../../storage/sqlite/stop-worker.ts';
import type { PayloadBuffers } from '../models/shared-payloads.ts';
import { PageWorkerHandle, type Request } from './page-worker-handle.ts';
import type { ItemList } from '../page/lists/list-types.ts';
import type { ListQuery, PageQuery, ReplicaHandle, ReplicaMetrics, ServingChange } from '../replica/replica-handle.ts';
import { listKey, ownerOf, type PageWorkerData, type WorkerReply } from './protocol.ts';

// a request the worker has not answered by the request budget plus this goes to another worker (if it is stuck)
const PAGE_GRACE_MS = 100;
// a worker with a request unanswered this long is hung: retired and replaced
const HUNG_MS = 10_000;
// loading the catalogue and models (and building ANN indexes) at start-up
const START_TIMEOUT_MS = 300_000;
const RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;
// requests a worker may have unanswered before a change sent without waiting (events) is waited for
const MAX_CHANGES_UNAWAITED = 1_000;

export interface PageWorkerPoolOptions {
  config: Readonly<VitrineConfig>;
  count: number;
  /** where the pool's counters are registered */
  registry: Registry;
  /** the app's clock (epoch ms): workers keep its offset from the system clock */
  clock: () => number;
  log: { warn(message: string): void; info(message: string): void };
  /** the HTTP thread's model payloads, handed to each worker at start (a `models` change carries them after) */
  payloads: () => PayloadBuffers;
  /** answers when no worker is live, and gets every change once it has started (the HTTP thread's in-thread replica, ADR 0013) */
  standby: ReplicaHandle;
}

/** The page workers as one replica handle: the worker implementation of ReplicaHandle. */
export class PageWorkerPool implements ReplicaHandle {
  private readonly workers: PageWorkerHandle[] = [];
  private readonly restartDelay: number[];
  private closing = false;
  private readonly composed: Counter<'where'>;
  private readonly restarts: Counter;

  private constructor(private readonly opts: PageWorkerPoolOptions) {
    this.restartDelay = Array.from({ length: opts.count }, () => RESTART_DELAY_MS);
    this.composed = new Counter({
      name: 'vitrine_pages_composed_total',
      help: 'Pages composed by the member\'s page worker (worker), another one (other-worker: the member\'s out of service, stuck, or stalled when asked), or the HTTP thread (http-thread: none live)',
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
   * The member's page as JSON from its worker. While that worker is not live, or when it leaves the
   * page unanswered past the request budget plus PAGE_GRACE_MS while answering nothing else (stuck),
   * another live worker composes it (it reads the member from the store and gets every change, so the
   * page is as fresh); with none live, the standby (the HTTP thread) does.
   */
  async page(userId: string, query: PageQuery): Promise<string> {
    const { reply, where } = await this.ask(userId, { op: 'page', userId, query });
    if (!reply) {
      this.composed.inc({ where: 'http-thread' });
      return this.opts.standby.page(userId, query);
    }
    if (!('json' in reply)) throw errorOf(reply);
    this.composed.inc({ where });
    return reply.json;
  }

  /** A one-list read, answered as a page for the same member would be (see page()). */
  async list(query: ListQuery): Promise<ItemList> {
    const { reply } = await this.ask(listKey(query), { op: 'list', query });
    if (!reply) return this.opts.standby.list(query);
    if (!('list' in reply)) throw errorOf(reply);
    return reply.list;
  }

  /**
   * `request`'s reply from the worker owning `key`, else from the next live one; none when no worker
   * is live or each has gone or is stuck. The last live one asked is waited for however late (until
   * HUNG_MS retires it): a standby read side is started only when no worker is live, not when every
   * worker is merely slow (the first pages of a worker just started, say), nor when a live one failed.
   * An error the API knows (a VitrineError code) is a reply like any other.
   */
  private async ask(key: string, request: Request): Promise<{ reply?: WorkerReply; where: 'worker' | 'other-worker' }> {
    const owner = this.workers[ownerOf(key, this.workers.length)];
    const order = this.workers.map((_, k) => this.workers[(owner.index + k) % this.workers.length]);
    const live = order.filter((w) => w.state === 'live');
    let failed: WorkerReply | undefined;
    for (const handle of live) {
      const reply = await this.askOne(handle, request, handle === live.at(-1));
      if (!reply) continue;
      // an error the API does not know (a bug) is worth another worker's try, but not a standby's
      if ('error' in reply && !(reply.error.code && isErrorCode(reply.error.code))) failed = reply;
      else return { reply, where: handle === owner ? 'worker' : 'other-worker' };
    }
    return { ...(failed ? { reply: failed } : {}), where: 'worker' };
  }

  /**
   * The worker's reply (an error included), or none when it is gone or stuck on this request: late past the request
   * budget + PAGE_GRACE_MS and answering nothing else meanwhile. `patient`: waited for while late
   * unless it hangs (HUNG_MS).
   */
  private async askOne(handle: PageWorkerHandle, request: Request, patient: boolean): Promise<WorkerReply | undefined> {
    const waitMs = this.opts.config.serving.budgetMs + PAGE_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    const late = () => new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), waitMs); });
    try {
      const answer = handle.request(request);
      let reply = await Promise.race([answer, late()]);
      while (reply === 'late') {
        if (handle.oldestPendingMs() > HUNG_MS) {
          handle.retire(`left a request unanswered for over ${HUNG_MS} ms`);
          return undefined;
        }
        // a worker answering other requests meanwhile is busy, not stuck: asking another as well would
        // add to an overload (and copy the member's state there), so it is waited for
        const busy = handle.state === 'live' && handle.msSinceReply() < waitMs;
        if (!busy && !patient) return undefined;
        clearTimeout(timer);
        reply = await Promise.race([answer, late()]);
      }
      return reply;
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Applies `change` in every worker and in the standby if it has started. Accepted events are only
   * sent to the workers, not waited for (ADR 0014): each worker handles its messages in order, so any
   * read sent after is composed after them, and an event's 200 does not wait behind the slower
   * worker's queue. Every other change (rare, and an operator's) waits until each worker has applied
   * it, so its failures show at once.
   */
  async apply(change: ServingChange): Promise<void> {
    await Promise.all([this.opts.standby.apply(change), this.sync(change, { awaitApplied: change.kind !== 'events' })]);
  }

  /**
   * Sends `change` to every worker; resolves once each live one has applied it, or, with
   * `awaitApplied: false`, once it is sent (ADR 0014): a worker handles its messages in order, so
   * every page or list sent to any worker after this resolves is composed after the change anyway.
   * A starting worker gets it too (in order, after its load). One that fails to apply it answers no
   * page after it and is retired and replaced. A `models` change carries the buffers to read (the
   * serving router adds them).
   */
  private async sync(change: ServingChange, { awaitApplied = true }: { awaitApplied?: boolean } = {}): Promise<void> {
    await Promise.all(this.workers.filter((w) => w.state !== 'retired').map(async (w) => {
      const applied = w.request({ op: 'change', change }).then((reply) => {
        if ('error' in reply) throw errorOf(reply);
      }).catch((err: unknown) => w.retire(`could not apply a change (${change.kind}): ${err instanceof Error ? err.message : String(err)}`));
      // a worker this far behind holds the sender back (the event route's 200), so its queue stays bounded
      if ((awaitApplied || w.unanswered > MAX_CHANGES_UNAWAITED) && w.state === 'live') await applied;
    }));
  }

  /** The standby's (once started) and the live workers' metrics, for /metrics to add up with this thread's. */
  async metrics(): Promise<ReplicaMetrics[]> {
    const replies = await Promise.all(this.workers.filter((w) => w.state === 'live').map((w) => w.request({ op: 'metrics' }).catch(() => undefined)));
    return [...await this.opts.standby.metrics(), ...replies.flatMap((r) => (r && 'metrics' in r ? [r.metrics] : []))];
  }

  /** workers composing pages now */
  get live(): number {
    return this.workers.filter((w) => w.state === 'live').length;
  }

  /** The worker threads, in owner order (tests stop one to see its members served here meanwhile). */
  threads(): readonly Worker[] {
    return this.workers.map((w) => w.worker);
  }

  /** Logs the pages each worker (and the standby) served and stops them; none is replaced from now on. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([this.opts.standby.close(), ...this.workers.map(async (w) => {
      if (w.state === 'retired') return;
      w.state = 'retired'; // no new requests; its exit is expected
      await stopWorker(w.worker);
    })]);
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
