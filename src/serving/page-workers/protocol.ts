/**
 * What the HTTP thread and the page workers say to each other (ADR 0010). Pages go to the worker
 * that owns the member; every change to what pages are made from goes to every worker, and the
 * change reaches all of them before its response (and but for events is applied by all: ADR 0014); a
 * worker handles its messages in order, so "a 200 means the next page reflects it" holds across threads.
 */
import type { VitrineConfig } from '../../core/config.ts';
import type { Item, VitrineEvent } from '../../core/types.ts';
import type { Registry } from 'prom-client';
import type { PayloadBuffers } from '../models/shared-payloads.ts';
import type { ItemList } from '../page/lists/list-types.ts';

/** A change every worker applies before the request that made it is answered. */
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

/** What a page worker is started with. */
export interface PageWorkerData {
  config: Readonly<VitrineConfig>;
  /** the HTTP thread's clock minus the system clock, ms (0 but in tests that fix the app's clock) */
  clockOffsetMs: number;
  /** the HTTP thread's model payloads (ADR 0011): the worker's models read them instead of the files */
  payloads: PayloadBuffers;
}

export interface PageQuery {
  page: string;
  rows: number;
  size: number;
}

/** A one-list read (routes/lists.ts), answered where the member's pages are composed. */
export type ListQuery =
  | { list: 'recommendations'; userId: string; n: number; category?: string; size?: string }
  | { list: 'similar'; itemId: string; n: number; userId?: string }
  | { list: 'rank'; userId: string; itemIds: string[] }
  | { list: 'occasion'; occasion: string; n: number; userId?: string };

/** Whose worker answers a list: the member's when one is named, else spread by what is asked about. */
export function listKey(query: ListQuery): string {
  if (query.userId !== undefined) return query.userId;
  return query.list === 'similar' ? query.itemId : query.list === 'occasion' ? query.occasion : '';
}

export type WorkerRequest =
  | { id: number; op: 'page'; userId: string; query: PageQuery }
  | { id: number; op: 'list'; query: ListQuery }
  | { id: number; op: 'change'; change: ServingChange }
  | { id: number; op: 'metrics' };

export type WorkerMetrics = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

export type WorkerReply =
  | { id: number; json: string }
  | { id: number; list: ItemList }
  | { id: number; done: true }
  | { id: number; metrics: WorkerMetrics }
  | { id: number; error: { code?: string; message: string } };

/** Unprompted: ready once the catalogue and models are loaded (or failed), and log lines. */
export type WorkerStatus = { ready: true } | { failed: string } | { log: 'warn' | 'info'; message: string };

/** The worker that owns `userId`'s state and pages, of `workers` (FNV-1a over UTF-16 code units). */
export function ownerOf(userId: string, workers: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    h ^= userId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % workers;
}
