/**
 * Page-record retention (store.pageRecordRetentionDays; ADR 0018): page records older than N days are
 * deleted, oldest first, in bounded batches: each batch is one short delete on the store's page-log
 * thread (SQLite) or one statement (PostgreSQL), and the passes run on a timer of their own, so a
 * request never waits for one and a large backlog (a first start with retention on a grown store) is
 * worked off a batch at a time instead of in one long transaction holding the write lock.
 */
import { DAY_MS } from '../core/time.ts';
import type { Store } from './store.ts';

export interface PageRecordRetentionOptions {
  store: Pick<Store, 'deletePageRecordsBefore'>;
  /** records older than this many days are deleted (fractions allowed) */
  days: number;
  /** epoch ms now (injected in tests) */
  clock?: () => number;
  /** records deleted per batch */
  batchSize?: number;
  /** batches per pass at most: a pass ends, and the next one takes over, after this many */
  maxBatchesPerPass?: number;
  /** time between passes, ms */
  intervalMs?: number;
  /** a pass failed (the next pass tries again) */
  onError?: (err: unknown) => void;
}

export class PageRecordRetention {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;
  /** records deleted since start (for /metrics and tests) */
  deleted = 0;

  constructor(private readonly opts: PageRecordRetentionOptions) {
    if (!(opts.days > 0)) throw new RangeError('page-record retention needs a positive number of days');
  }

  /** One pass: batches until one deletes fewer than a batch (or the pass's bound); how many it deleted. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Passes every intervalMs from now (the first one at once), until stop(). */
  start(): void {
    const tick = () => {
      this.runOnce().catch((err) => this.opts.onError?.(err)).finally(() => {
        if (this.stopped) return;
        this.timer = setTimeout(tick, this.opts.intervalMs ?? 60_000);
        // retention never keeps a process alive
        this.timer.unref?.();
      });
    };
    tick();
  }

  /** No further pass; resolves once a pass under way has finished its batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<number> {
    const batchSize = this.opts.batchSize ?? 1000;
    const maxBatches = this.opts.maxBatchesPerPass ?? 100;
    // one cutoff for the whole pass: what a pass deletes does not depend on how long it takes
    const cutoff = (this.opts.clock ?? Date.now)() - this.opts.days * DAY_MS;
    let total = 0;
    for (let b = 0; b < maxBatches && !this.stopped; b++) {
      const n = await this.opts.store.deletePageRecordsBefore(cutoff, batchSize);
      total += n;
      this.deleted += n;
      if (n < batchSize) break;
      // between batches, whatever else waits for the event loop (or the page log's thread) goes first
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return total;
  }
}
