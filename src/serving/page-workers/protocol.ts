/**
 * What the HTTP thread and the page workers say to each other (ADR 0010). Pages go to the worker
 * that owns the member; every change to what pages are made from goes to every worker before its
 * response is sent, and all but events are applied by all of them first (ADR 0014); a worker handles
 * its messages in order, so a read sent after a change's response is composed after the change.
 */
import type { VitrineConfig } from '../../core/config.ts';
import type { PayloadBuffers } from '../models/shared-payloads.ts';
import type { ItemList } from '../page/lists/list-types.ts';
import type { ListQuery, PageQuery, ReplicaMetrics, ServingChange } from '../replica/replica-handle.ts';

/** What a page worker is started with. */
export interface PageWorkerData {
  config: Readonly<VitrineConfig>;
  /** the HTTP thread's clock minus the system clock, ms (0 but in tests that fix the app's clock) */
  clockOffsetMs: number;
  /** the HTTP thread's model payloads (ADR 0011): the worker's models read them instead of the files */
  payloads: PayloadBuffers;
}

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

export type WorkerReply =
  | { id: number; json: string }
  | { id: number; list: ItemList }
  | { id: number; done: true }
  | { id: number; metrics: ReplicaMetrics }
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
