/**
 * One page worker thread as the pool sees it: requests by id, answers matched back, and its state —
 * starting (takes changes, no pages yet), live, or retired (exited, failed, or hung).
 */
import type { Worker } from 'node:worker_threads';
import { PendingRequests } from '../../core/pending-requests.ts';
import type { WorkerReply, WorkerRequest, WorkerStatus } from './protocol.ts';

export type Request = WorkerRequest extends infer R ? R extends { id: number } ? Omit<R, 'id'> : never : never;

interface Pending {
  resolve: (reply: WorkerReply) => void;
  reject: (err: Error) => void;
  sentAt: number;
}

export interface HandleEvents {
  ready(): void;
  /** the worker will answer nothing more (it exited, failed, or was retired) */
  gone(why: string): void;
  log(level: 'warn' | 'info', message: string): void;
}

export class PageWorkerHandle {
  // not a Map: its tables, rehashed every few pages, got the replies promoted (core/pending-requests.ts)
  private readonly pending = new PendingRequests<Pending>();
  private lastReplyAt: number;
  state: 'starting' | 'live' | 'retired' = 'starting';

  /** `now`: a monotonic clock in ms (tests drive it by hand) */
  constructor(readonly worker: Worker, readonly index: number, private readonly events: HandleEvents, private readonly now: () => number = () => performance.now()) {
    this.lastReplyAt = now();
    worker.on('message', (m: WorkerReply | WorkerStatus) => {
      if ('id' in m) {
        this.lastReplyAt = this.now();
        this.pending.take(m.id)?.resolve(m);
      } else if ('log' in m) events.log(m.log, m.message);
      else if ('ready' in m) {
        if (this.state !== 'starting') return;
        this.state = 'live';
        events.ready();
      } else this.retire(`could not start: ${m.failed}`);
    });
    worker.on('error', (err) => this.retire(`failed: ${err.message}`));
    worker.on('exit', (code) => this.retire(`exited (code ${code})`));
  }

  /** Posts a request; messages are handled in the order they are posted. Rejects if the worker goes. */
  request(body: Request): Promise<WorkerReply> {
    if (this.state === 'retired') return Promise.reject(new Error(`page worker ${this.index} is retired`));
    return new Promise((resolve, reject) => {
      const id = this.pending.add({ resolve, reject, sentAt: this.now() });
      this.worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  /** requests posted and not yet answered */
  get unanswered(): number {
    return this.pending.size;
  }

  /** How long the oldest unanswered request has waited, ms (0 when none). */
  oldestPendingMs(): number {
    const first = this.pending.oldest();
    return first ? this.now() - first.sentAt : 0;
  }

  /** How long ago the worker last answered anything, ms: a worker still answering is busy, not stuck. */
  msSinceReply(): number {
    return this.now() - this.lastReplyAt;
  }

  /** Takes the worker out of service: pending requests reject, the thread is stopped. */
  retire(why: string): void {
    if (this.state === 'retired') return;
    this.state = 'retired';
    for (const p of this.pending.values()) p.reject(new Error(`page worker ${this.index} ${why}`));
    this.pending.clear();
    void this.worker.terminate();
    this.events.gone(why);
  }
}
