/**
 * WAL checkpoints off the serving thread. SQLite's automatic checkpoint runs inside whichever commit
 * crosses the threshold: it copies the WAL into the database file and fsyncs it, synchronously. On a
 * server that logs every page, that took the event loop for 100–700 ms every few seconds (page p99
 * 185 ms; 46 ms without it, measured with bench:serve's load). So the serving connection checkpoints
 * nothing itself; a worker thread with its own connection runs a PASSIVE checkpoint every second.
 * If the worker fails, the connection takes its automatic checkpoint back: the WAL never grows unbounded.
 * Durability is unchanged (every commit is in the WAL before it returns).
 */
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { stopWorker } from './stop-worker.ts';

export interface WalCheckpointerOptions {
  /** the database file */
  path: string;
  intervalMs?: number;
  busyTimeoutMs?: number;
  /** the automatic checkpoint threshold (pages) to restore on the serving connection if the worker fails */
  autocheckpointPages: number;
}

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private stopped = false;
  /** checkpoints completed (tests and /metrics could read it) */
  checkpoints = 0;

  constructor(private readonly db: Database.Database, opts: WalCheckpointerOptions) {
    db.pragma('wal_autocheckpoint = 0');
    this.worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), {
      workerData: { path: opts.path, intervalMs: opts.intervalMs ?? 1000, busyTimeoutMs: opts.busyTimeoutMs ?? 5000 },
    });
    this.ready = new Promise((resolve) => {
      this.worker.on('message', (m: { type: string }) => {
        // a store someone forgets to close must not keep its process alive
        if (m.type === 'ready') {
          this.worker.unref();
          resolve();
        }
        if (m.type === 'checkpointed') this.checkpoints++;
      });
      this.worker.once('error', () => resolve());
      this.worker.once('exit', () => resolve());
    });
    const fallBack = () => {
      if (!this.stopped && db.open) db.pragma(`wal_autocheckpoint = ${opts.autocheckpointPages}`);
    };
    this.worker.on('error', fallBack);
    this.worker.on('exit', fallBack);
  }

  /** Resolves once the worker has opened its connection (or failed, and the fallback is in place). */
  started(): Promise<void> {
    return this.ready;
  }

  /** A last checkpoint, then the worker's connection closed. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.ready;
    await stopWorker(this.worker); // its last checkpoint first
  }
}

/**
 * Copies the WAL into the file and empties it (a TRUNCATE checkpoint on `db`'s own connection), so
 * that no frame of rows deleted before it stays readable in the WAL. Waits for readers at most
 * `maxWaitMs`: when they hold it longer the background checkpoints copy it, and later commits write
 * over it from its start. Never throws (the caller's delete is committed either way).
 */
export function truncateWal(db: Database.Database, maxWaitMs: number): void {
  if (!db.open || db.memory) return;
  const busy = db.pragma('busy_timeout', { simple: true }) as number;
  try {
    db.pragma(`busy_timeout = ${Math.min(busy, maxWaitMs)}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // busy: see above
  } finally {
    db.pragma(`busy_timeout = ${busy}`);
  }
}
