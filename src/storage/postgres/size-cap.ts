/**
 * store.maxSizeBytes on PostgreSQL: the database's size on disk (pg_database_size, which counts dead
 * rows until VACUUM reuses their space). As on SQLite (sqlite/page-log-cap.ts), page records are the
 * first thing refused, past PAGE_LOG_SHARE of the cap; events are refused past the cap itself. The
 * size is read at most once per `refreshMs`, so a batch can overshoot by what one interval writes.
 */
import type pg from 'pg';
import { VitrineError } from '../../core/errors.ts';
import { PAGE_LOG_SHARE } from '../sqlite/page-log-cap.ts';

export class PostgresSizeCap {
  private size = 0;
  private readAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: pg.Pool,
    private readonly maxBytes: number,
    private readonly refreshMs = 1000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Throws VITRINE_STORE_FULL when writes of this kind have used their share of the cap. */
  async assertRoom(kind: 'page-records' | 'events'): Promise<void> {
    const now = this.clock();
    if (now - this.readAt >= this.refreshMs) {
      const { rows } = await this.db.query<{ size: number }>('SELECT pg_database_size(current_database()) AS size');
      this.size = rows[0].size;
      this.readAt = now;
    }
    const limit = kind === 'page-records' ? Math.floor(this.maxBytes * PAGE_LOG_SHARE) : this.maxBytes;
    if (this.size >= limit) {
      throw new VitrineError('VITRINE_STORE_FULL', kind === 'page-records'
        ? `page records are not logged past ${PAGE_LOG_SHARE * 100}% of store.maxSizeBytes (database ${this.size} of ${this.maxBytes} bytes)`
        : `the database is at store.maxSizeBytes (${this.size} of ${this.maxBytes} bytes)`);
    }
  }
}
