/**
 * The replica handle on the HTTP thread: without page workers it serves every page; with them it is
 * the pool's standby, started only the first time no worker is live (ADR 0013) and kept from then on.
 * TODO(standby): let the standby go once workers are live again (~170 MB on the 1M-member world);
 * its counters (fallbacks, pages composed) would have to outlive it in /metrics first.
 */
import type { Registry } from 'prom-client';
import type { ItemList } from '../page/lists/list-types.ts';
import type { ListQuery, PageQuery, ReplicaHandle, ReplicaMetrics, ServingChange } from './replica-handle.ts';
import type { ServingReplica } from './serving-replica.ts';

export class InThreadReplica implements ReplicaHandle {
  private starting: Promise<ServingReplica> | undefined;
  private ready: ServingReplica | undefined;

  /**
   * `start` builds the replica on first need; `ownRegistry`, when the replica's counters are kept
   * apart from the HTTP thread's (the standby's), is reported by metrics() once it has started.
   */
  constructor(private readonly start: () => Promise<ServingReplica>, private readonly ownRegistry?: Registry) {}

  page(userId: string, query: PageQuery): Promise<string> {
    return this.replica().then((r) => r.page(userId, query));
  }

  list(query: ListQuery): Promise<ItemList> {
    return this.replica().then((r) => r.list(query));
  }

  /** Applies the change to the replica when there is one; a replica not started yet will read the store. */
  async apply(change: ServingChange): Promise<void> {
    // a start that failed has nothing to change (the next one reads the store)
    await this.starting?.then((r) => r.apply(change), () => undefined);
  }

  async metrics(): Promise<ReplicaMetrics[]> {
    return this.ownRegistry && this.ready ? [await this.ownRegistry.getMetricsAsJSON()] : [];
  }

  async close(): Promise<void> {
    await this.ready?.close();
  }

  /** The replica, if it has started (tests and benchmarks look inside). */
  started(): ServingReplica | undefined {
    return this.ready;
  }

  /** The replica, started on first need; a start that fails is tried again next time. */
  replica(): Promise<ServingReplica> {
    this.starting ??= this.start().then((replica) => {
      this.ready = replica;
      return replica;
    }, (err: unknown) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }
}
