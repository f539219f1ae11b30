/**
 * Where the HTTP thread's reads are answered and its changes applied: one replica handle
 * (replica/replica-handle.ts) — this thread's replica (in-thread-replica.ts) when there are no page
 * workers, else the page workers (ADR 0010), whose standby is this thread's replica started only when
 * no worker is live (ADR 0013). Calls go down only: router → handle → replica → page engine.
 */
import type { SharedPayloads } from './models/shared-payloads.ts';
import type { ItemList, ListQuery } from './page/lists/list-types.ts';
import type { InThreadReplica } from './replica/in-thread-replica.ts';
import type { PageQuery, ReplicaHandle, ReplicaMetrics, ServingChange } from './replica/replica-handle.ts';
import type { ServingReplica } from './replica/serving-replica.ts';

export class ServingRouter {
  /**
   * `handle` serves every read and gets every change (`inThread` itself, or the page workers whose
   * standby it is); `payloads` are the HTTP thread's model payloads, which a `models` change hands to
   * every replica.
   */
  constructor(
    private readonly handle: ReplicaHandle,
    private readonly inThread: InThreadReplica,
    private readonly payloads: SharedPayloads,
  ) {}

  /** The member's page as JSON. */
  page(userId: string, query: PageQuery): Promise<string> {
    return this.handle.page(userId, query);
  }

  /** A one-list read (recommendations, similar, rank, occasion items). */
  list(query: ListQuery): Promise<ItemList> {
    return this.handle.list(query);
  }

  /** Applies a change to every replica; resolves once the next read is sure to reflect it (events: ADR 0014). */
  apply(change: ServingChange): Promise<void> {
    return this.handle.apply(change.kind === 'models' ? { ...change, payloads: this.payloads.buffersHeld() } : change);
  }

  /** The standby's and the workers' metrics, for /metrics to add up with this thread's. */
  metrics(): Promise<ReplicaMetrics[]> {
    return this.handle.metrics();
  }

  /** This thread's replica when it has started (always without page workers; tests look inside). */
  localReplica(): ServingReplica | undefined {
    return this.inThread.started();
  }

  /** Logs the pages served and not yet logged, here and in the workers. */
  close(): Promise<void> {
    return this.handle.close();
  }
}
