/**
 * Page records in the SQLite store, compact (page-record-codec.ts): a record's strings are numbered in
 * `page_terms` on the connection that encodes it, before the record goes to whichever connection
 * writes it (the page log's thread takes bytes, not JSON). Numbering a new term is a small write of
 * its own: rare once the catalogue's items have been served once.
 */
import type Database from 'better-sqlite3';
import { traceBlocking } from '../../core/task-trace.ts';
import { encodeRows, itemCountOf, PageTermCache, termIxsOf, termsOf } from '../page-record-codec.ts';
import type { ImpressionRecord } from '../store.ts';
import type { ImpressionTuple } from './impression-log-writer.ts';
import { rowToImpression, type ImpressionRow } from './rows.ts';

/** one page record, parameters in ImpressionTuple order: the serving connection and the page log's thread both run it */
export const PUT_IMPRESSION_SQL = `INSERT OR REPLACE INTO impressions (page_id, user_id, ts, variant, model_version, rows, packed, item_count)
  VALUES (?, ?, ?, ?, ?, '', ?, ?)`;

/** the retention's bounded pass (params: cutoff ts, limit): oldest first, through impressions_by_ts, so it reads only what it deletes */
export const DELETE_PAGE_RECORDS_BEFORE_SQL = `DELETE FROM impressions WHERE rowid IN
  (SELECT rowid FROM impressions WHERE ts < ? ORDER BY ts LIMIT ?)`;

/** numbering one term (params: term): INSERT OR IGNORE, then TERM_IX_SQL reads its number */
export const ADD_TERM_SQL = 'INSERT OR IGNORE INTO page_terms (term) VALUES (?)';
export const TERM_IX_SQL = 'SELECT ix FROM page_terms WHERE term = ?';

export class SqlitePageRecords {
  private readonly terms = new PageTermCache();
  // a reused page's record carries the same rows array each time it is served (record-impression.ts):
  // encoded once. Records are never mutated once stored, so the bytes stay what they say
  private readonly packedRows = new WeakMap<ImpressionRecord['rows'], Buffer>();
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      addTerm: db.prepare(ADD_TERM_SQL),
      termIx: db.prepare(TERM_IX_SQL).pluck(),
      termsOfIxs: db.prepare('SELECT ix, term FROM page_terms WHERE ix IN (SELECT value FROM json_each(?))'),
      deleteBefore: db.prepare(DELETE_PAGE_RECORDS_BEFORE_SQL),
    };
  }

  /** The record as PUT_IMPRESSION_SQL takes it (numbering its new terms first). */
  tuple(r: ImpressionRecord): ImpressionTuple {
    let packed = this.packedRows.get(r.rows);
    if (packed === undefined) {
      if (!this.terms.knowsAll(r.rows)) this.numberTerms(termsOf(r.rows));
      this.packedRows.set(r.rows, (packed = encodeRows(r.rows, this.terms.ixOf)));
    }
    return [r.pageId, r.userId, r.ts, r.variant ?? null, r.modelVersion ?? null, packed, itemCountOf(r.rows)];
  }

  /**
   * The terms of `records` this connection has no number for yet, each once (empty in the common case:
   * every item served before). A caller with a page log thread has them numbered there (`learn`), so
   * the serving thread never waits for the write lock to number a term.
   */
  unnumberedTerms(records: readonly ImpressionRecord[]): string[] {
    const missing = new Set<string>();
    for (const r of records) {
      if (this.packedRows.has(r.rows) || this.terms.knowsAll(r.rows)) continue;
      for (const term of this.terms.missingTerms(termsOf(r.rows))) missing.add(term);
    }
    return [...missing];
  }

  /** Numbers given to `terms` elsewhere (the page log's thread, on the same file). */
  learn(terms: readonly string[], ixs: readonly number[]): void {
    terms.forEach((term, k) => this.terms.add(term, ixs[k]));
  }

  /** A stored row as a record (its terms fetched once when this process has not seen them). */
  record(row: ImpressionRow): ImpressionRecord {
    if (row.packed) {
      const missing = this.terms.missingIxs(termIxsOf(row.packed));
      if (missing.length > 0) {
        for (const { ix, term } of this.stmt.termsOfIxs.all(JSON.stringify(missing)) as Array<{ ix: number; term: string }>) {
          this.terms.add(term, ix);
        }
      }
    }
    return rowToImpression(row, this.terms.termOf);
  }

  /** Deletes at most `limit` records older than `cutoffTs`, oldest first; how many it deleted. */
  deleteBefore(cutoffTs: number, limit: number): number {
    return this.stmt.deleteBefore.run(cutoffTs, limit).changes;
  }

  /** Numbers `terms` on this connection (a write of its own); their numbers, in order. */
  numberHere(terms: readonly string[]): number[] {
    this.numberTerms(terms);
    return terms.map(this.terms.ixOf);
  }

  private numberTerms(terms: readonly string[]): void {
    const missing = this.terms.missingTerms(terms);
    if (missing.length === 0) return;
    // IMMEDIATE: it reads what it wrote, against the page log's thread writing the same table
    traceBlocking(`number ${missing.length} page terms`, () => this.db.transaction(() => {
      for (const term of missing) {
        this.stmt.addTerm.run(term);
        this.terms.add(term, this.stmt.termIx.get(term) as number);
      }
    }).immediate());
  }
}
