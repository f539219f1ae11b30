/**
 * The page log's share of the store's size cap (store.maxSizeBytes; docs/operations.md § Store size).
 * Page records are what reads add to the store, so they are the first thing refused as the file fills:
 * past PAGE_LOG_SHARE of the cap, VITRINE_STORE_FULL; events, profiles and the catalogue keep the rest
 * until the cap itself (SQLite's max_page_count). The serving connection and the page log's writer
 * thread (impression-log-worker.js, with the same SQL) check before each batch.
 */
import type Database from 'better-sqlite3';
import { VitrineError } from '../../core/errors.ts';

/** page records are refused once the file's used pages reach this share of the cap */
export const PAGE_LOG_SHARE = 0.9;

/** the file's pages in use (free pages are reused before the file grows) */
export const USED_PAGES_SQL = 'SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count())';

export class PageLogCap {
  /** page records are refused past this many used pages */
  readonly maxPages: number;
  private readonly usedPages: Database.Statement;

  /** `capPages`: the store's cap in pages (max_page_count). */
  constructor(db: Database.Database, capPages: number) {
    this.maxPages = Math.floor(capPages * PAGE_LOG_SHARE);
    this.usedPages = db.prepare(USED_PAGES_SQL).pluck();
  }

  /** Throws VITRINE_STORE_FULL when page records have used their share of the cap. */
  assertRoom(): void {
    const used = this.usedPages.get() as number;
    if (used >= this.maxPages) {
      throw new VitrineError('VITRINE_STORE_FULL',
        `page records are not logged past ${PAGE_LOG_SHARE * 100}% of store.maxSizeBytes (${used} of ${this.maxPages} pages used)`);
    }
  }
}
