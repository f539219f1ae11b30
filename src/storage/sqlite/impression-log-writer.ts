/**
 * The page log written off the serving thread. Every served page's record is an INSERT into the
 * impressions table; on the serving connection those commits took 0.08–0.13 ms per page at 1,000
 * pages/s (2–3× what the same inserts cost alone: the thread shares two cores with the load) and
 * single batches of 50 pages took 20–300 ms, holding every request behind them (bench:serve,
 * docs/decisions/0009-page-log-off-the-serving-thread.md). So a worker thread with its own
 * connection commits them, and the caller's promise resolves once the batch is committed: a report
 * that waits for it reads it on the serving connection like any other commit.
 *
 * Trade: a second writer on the file. The serving connection's own writes (events) wait for the
 * worker's commit when they meet one (a few ms, SQLite's busy handler), where they used to wait for
 * nothing; and each batch is a structured clone (with the records and their JSON, 0.048 ms of the
 * serving thread per page, measured before a reused page's rows were serialised once).
 * If the worker dies, pending and later batches are written on the caller's thread: nothing is lost.
 *
 * The records waiting for the worker are bounded (MAX_PENDING_RECORDS): past it a batch is written on
 * the caller's thread, which slows the pages that thread serves instead of holding an ever longer queue
 * in memory when pages come faster than the worker commits them (backpressure; nothing dropped).
 */
import { Worker } from 'node:worker_threads';
import { PendingRequests } from '../../core/pending-requests.ts';
import { translateSqliteError } from './sqlite-errors.ts';
import { stopWorker } from './stop-worker.ts';

/** [page_id, user_id, ts, variant, model_version, packed rows, item count]: an impressions row as inserted (page-records.ts). */
export type ImpressionTuple = [string, string, number, string | null, string | null, Uint8Array, number];

export interface ImpressionLogWriterOptions {
  /** the database file (the serving connection has created and migrated it) */
  path: string;
  /** the INSERT of one record, parameters in ImpressionTuple order (the store's own statement) */
  insertSql: string;
  busyTimeoutMs: number;
  synchronous: 'NORMAL' | 'FULL';
  /** the worker connection's automatic checkpoint threshold (0 while a background checkpointer runs) */
  autocheckpointPages: number;
  /** the serving connection's cap on the file, in pages */
  maxPageCount?: number;
  /** page records are refused (SQLITE_FULL, so VITRINE_STORE_FULL) once usedPagesSql answers this many */
  pageLogMaxPages?: number;
  usedPagesSql?: string;
  /** writes on the caller's thread: for batches the worker can no longer take */
  writeHere: (records: readonly ImpressionTuple[]) => void;
  /** numbering a page term and reading its number (page-records.ts ADD_TERM_SQL, TERM_IX_SQL) */
  addTermSql: string;
  termIxSql: string;
  /** the same numbering on the caller's thread, when the worker is gone */
  numberHere: (terms: readonly string[]) => number[];
  /** the retention's delete (params: cutoff ts, limit), run by the worker between batches */
  deleteSql: string;
  /** the same delete on the caller's thread, when the worker is gone */
  deleteHere: (cutoffTs: number, limit: number) => number;
}

// records posted and not yet committed, at most: ~100 MB of page records
const MAX_PENDING_RECORDS = 20_000;

interface Pending {
  records: readonly ImpressionTuple[];
  /** a retention pass instead of records */
  deleteBefore?: { cutoffTs: number; limit: number };
  /** terms to number instead of records */
  terms?: readonly string[];
  resolve: (deleted?: number, ixs?: readonly number[]) => void;
  reject: (err: unknown) => void;
}

export class ImpressionLogWriter {
  private readonly worker: Worker;
  // not a Map: its rehashed tables got every batch's records promoted in the page workers (core/pending-requests.ts)
  private readonly pending = new PendingRequests<Pending>();
  private failed = false;
  private stopping: Promise<void> | undefined;
  /** batches committed by the worker (tests read it) */
  committedByWorker = 0;
  /** batches written on the caller's thread because the worker's queue was full (tests read it) */
  writtenHereWhenFull = 0;
  private pendingRecords = 0;

  constructor(private readonly opts: ImpressionLogWriterOptions) {
    this.worker = new Worker(new URL('./impression-log-worker.js', import.meta.url), {
      workerData: {
        path: opts.path, insertSql: opts.insertSql, deleteSql: opts.deleteSql, addTermSql: opts.addTermSql, termIxSql: opts.termIxSql, busyTimeoutMs: opts.busyTimeoutMs, synchronous: opts.synchronous,
        autocheckpointPages: opts.autocheckpointPages, maxPageCount: opts.maxPageCount,
        pageLogMaxPages: opts.pageLogMaxPages, usedPagesSql: opts.usedPagesSql,
      },
    });
    // a store someone forgets to close must not keep its process alive; pending batches do (ref below)
    this.worker.unref();
    this.worker.on('message', (m: { id: number; deleted?: number; ixs?: number[]; error?: { code?: string; message: string } }) => {
      const p = this.pending.take(m.id);
      if (!p) return;
      this.settled(p);
      if (!m.error) {
        if (p.terms) {
          p.resolve(undefined, m.ixs);
          return;
        }
        if (p.deleteBefore) {
          p.resolve(m.deleted);
          return;
        }
        this.committedByWorker++;
        p.resolve();
        return;
      }
      const err = Object.assign(new Error(m.error.message), { code: m.error.code });
      p.reject(translateSqliteError(err));
    });
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
  }

  /** Resolves once the records are committed (on the worker, or here when it is gone). */
  write(records: readonly ImpressionTuple[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    if (this.failed || this.stopping) return this.writeHereNow(records);
    if (this.pendingRecords > 0 && this.pendingRecords + records.length > MAX_PENDING_RECORDS) {
      this.writtenHereWhenFull++;
      return this.writeHereNow(records);
    }
    this.pendingRecords += records.length;
    return new Promise<void>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      const id = this.pending.add({ records, resolve: () => resolve(), reject });
      this.worker.postMessage({ id, records });
    });
  }

  /**
   * Deletes at most `limit` page records older than `cutoffTs` on the worker's connection (in turn with
   * the batches: the serving connection never waits for it); resolves with how many it deleted.
   */
  deleteBefore(cutoffTs: number, limit: number): Promise<number> {
    if (this.failed || this.stopping) return this.deleteHereNow(cutoffTs, limit);
    return new Promise<number>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      const id = this.pending.add({ records: [], deleteBefore: { cutoffTs, limit }, resolve: (n) => resolve(n ?? 0), reject });
      this.worker.postMessage({ id, deleteBefore: cutoffTs, limit });
    });
  }

  /**
   * Numbers page terms on the worker's connection (in turn with the batches), so that the serving
   * thread never waits for SQLite's write lock for them: with page workers and their page logs on
   * one file, such waits blocked a page worker for 10-60 ms (issue 22, bench/serve-tail.ts).
   * Resolves with their numbers, in order.
   */
  numberTerms(terms: readonly string[]): Promise<readonly number[]> {
    if (this.failed || this.stopping) return this.numberHereNow(terms);
    return new Promise<readonly number[]>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      const id = this.pending.add({ records: [], terms, resolve: (_, ixs) => resolve(ixs ?? []), reject });
      this.worker.postMessage({ id, terms });
    });
  }

  /** Waits for every batch posted so far, then closes the worker's connection. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (!this.failed) await stopWorker(this.worker);
    })();
    return this.stopping;
  }

  /** The worker is gone (crashed, or stopped with batches it never answered): they are written here. */
  private fail(): void {
    this.failed = true;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      this.settled(p);
      if (p.terms) this.numberHereNow(p.terms).then((ixs) => p.resolve(undefined, ixs), p.reject);
      else if (p.deleteBefore) this.deleteHereNow(p.deleteBefore.cutoffTs, p.deleteBefore.limit).then(p.resolve, p.reject);
      else this.writeHereNow(p.records).then(() => p.resolve(), p.reject);
    }
  }

  /** `p` was taken from the pending ones: its records no longer count against the bound. */
  private settled(p: Pending): void {
    this.pendingRecords -= p.records.length;
    if (this.pending.size === 0 && !this.stopping) this.worker.unref();
  }

  private numberHereNow(terms: readonly string[]): Promise<readonly number[]> {
    try {
      return Promise.resolve(this.opts.numberHere(terms));
    } catch (err) {
      return Promise.reject(translateSqliteError(err));
    }
  }

  private deleteHereNow(cutoffTs: number, limit: number): Promise<number> {
    try {
      return Promise.resolve(this.opts.deleteHere(cutoffTs, limit));
    } catch (err) {
      return Promise.reject(translateSqliteError(err));
    }
  }

  private writeHereNow(records: readonly ImpressionTuple[]): Promise<void> {
    try {
      this.opts.writeHere(records);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(translateSqliteError(err));
    }
  }
}
