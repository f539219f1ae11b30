/**
 * Where the HTTP thread's reads are answered and its changes applied. With no page workers, by its
 * own serving replica. With page workers (ADR 0010), by them — and the HTTP thread holds no read side
 * of its own (ADR 0013): a standby replica is started on it only when no worker is live (all lost at
 * once, or the only one), and kept from then on.
 * TODO(standby): let the standby go once workers are live again (~170 MB on the 1M-member world);
 * its counters (fallbacks, pages composed) would have to outlive it in /metrics first.
 */
import type { Registry } from 'prom-client';
import type { ItemList } from './page/lists/list-types.ts';
import type { PageWorkerPool } from './page-workers/page-worker-pool.ts';
import type { ListQuery, PageQuery, ServingChange, WorkerMetrics } from './page-workers/protocol.ts';
import type { SharedPayloads } from './models/shared-payloads.ts';
import type { ServingReplica } from './replica/serving-replica.ts';

export interface ServingRouterOptions {
  /** the HTTP thread's model payloads: a `models` change hands them to every replica */
  payloads: SharedPayloads;
  /** the page workers, if any */
  workers?: PageWorkerPool;
  /** starts the HTTP thread's replica: at once without workers, else the first time none is live */
  startLocal: () => Promise<ServingReplica>;
  /** where the standby's counters are registered (its own: merged into /metrics as a worker's are) */
  standbyRegistry?: Registry;
}

export class ServingRouter {
  private local: Promise<ServingReplica> | undefined;
  private localReady: ServingReplica | undefined;

  private constructor(private readonly opts: ServingRouterOptions) {}

  /** The router; without page workers its replica is started before it resolves. */
  static async start(opts: ServingRouterOptions): Promise<ServingRouter> {
    const router = new ServingRouter(opts);
    if (!opts.workers) await router.replica();
    return router;
  }

  /** The member's page as JSON. */
  page(userId: string, query: PageQuery): Promise<string> {
    const here = async () => (await this.replica()).page(userId, query);
    return this.opts.workers ? this.opts.workers.page(userId, query, here) : here();
  }

  /** A one-list read (recommendations, similar, rank, occasion items). */
  list(query: ListQuery): Promise<ItemList> {
    const here = async () => (await this.replica()).list(query);
    return this.opts.workers ? this.opts.workers.list(query, here) : here();
  }

  /**
   * Applies a change to every replica (this thread's, if it has one, and every worker); resolves once
   * the next read is sure to reflect it. Accepted events are only sent to the workers, not waited for
   * (ADR 0014): each worker handles its messages in order, so any read sent after is composed after
   * them, and an event's 200 no longer waits behind the slower worker's queue. Every other change
   * (rare, and an operator's) waits until each worker has applied it, so its failures show at once.
   */
  async apply(change: ServingChange): Promise<void> {
    if (change.kind === 'models') change = { ...change, payloads: this.opts.payloads.buffersHeld() };
    const local = this.local;
    await Promise.all([
      // a standby that failed to start has nothing to change (the next one reads the store)
      local?.then((replica) => replica.apply(change), () => undefined),
      this.opts.workers?.sync(change, { awaitApplied: change.kind !== 'events' }),
    ]);
  }

  /** The standby's and the workers' metrics, for /metrics to add up with this thread's. */
  async metrics(): Promise<WorkerMetrics[]> {
    const standby = this.opts.standbyRegistry && this.localReady ? [await this.opts.standbyRegistry.getMetricsAsJSON()] : [];
    return [...standby, ...(await this.opts.workers?.metrics() ?? [])];
  }

  /** This thread's replica when it has one (always without page workers; tests look inside). */
  localReplica(): ServingReplica | undefined {
    return this.localReady;
  }

  /** Logs the pages served and not yet logged, here and in the workers. */
  async close(): Promise<void> {
    await Promise.all([this.localReady?.close(), this.opts.workers?.close()]);
  }

  /** This thread's replica, started on first need; a start that fails is tried again next time. */
  private replica(): Promise<ServingReplica> {
    this.local ??= this.opts.startLocal().then((replica) => {
      this.localReady = replica;
      return replica;
    }, (err: unknown) => {
      this.local = undefined;
      throw err;
    });
    return this.local;
  }
}
