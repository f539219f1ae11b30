/**
 * How the serving router reaches what composes pages: one interface, two implementations — a replica
 * on this thread (in-thread-replica.ts) or the page workers (page-workers/page-worker-pool.ts, whose
 * standby is an in-thread one). Calls go down only: router → handle → replica → page engine.
 */
import type { Item, VitrineEvent } from '../../core/types.ts';
import type { Registry } from 'prom-client';
import type { PayloadBuffers } from '../models/shared-payloads.ts';
import type { ItemList, ListQuery } from '../page/lists/list-types.ts';

export type { ListQuery };

/** A change to what pages are made from; every replica applies every change, in the order sent. */
export type ServingChange =
  | { kind: 'events'; events: readonly VitrineEvent[] }
  | { kind: 'items'; items: readonly Item[] }
  | { kind: 'retire'; itemId: string; ts: number }
  | { kind: 'availability'; itemId: string; sizes: Record<string, number>; ts: number }
  /** the registry changed: reload, reading the payloads the HTTP thread already holds from `payloads` */
  | { kind: 'models'; payloads?: PayloadBuffers }
  | { kind: 'merchandising' }
  | { kind: 'profile'; userId: string }
  | { kind: 'forget'; userId: string }
  /** log the pages served and not yet logged (reports read the log) */
  | { kind: 'flush' };

export interface PageQuery {
  page: string;
  rows: number;
  size: number;
}

/** A registry's metrics as JSON, for /metrics to add up with the HTTP thread's. */
export type ReplicaMetrics = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

export interface ReplicaHandle {
  /** The member's page as the JSON the page route sends. */
  page(userId: string, query: PageQuery): Promise<string>;
  /** A one-list read (recommendations, similar, rank, occasion items). */
  list(query: ListQuery): Promise<ItemList>;
  /**
   * Applies a change; resolves once the next read is sure to reflect it. Accepted events are sent,
   * not waited for (ADR 0014): each replica handles its messages in order.
   */
  apply(change: ServingChange): Promise<void>;
  /** Metrics kept outside the HTTP thread's registry (the workers', the standby's). */
  metrics(): Promise<ReplicaMetrics[]>;
  /** Logs the pages served and not yet logged, and stops. */
  close(): Promise<void>;
}
