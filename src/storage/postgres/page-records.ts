/**
 * Page records in the PostgreSQL store, compact as in the SQLite one (page-record-codec.ts): terms are
 * numbered in `page_terms` (one statement for a batch's new terms), cached per process, and a record's
 * rows go in as bytes with the page's item count.
 */
import type pg from 'pg';
import { encodeRows, itemCountOf, PageTermCache, termIxsOf, termsOf } from '../page-record-codec.ts';
import type { ImpressionRecord } from '../store.ts';
import { rowToImpression, type ImpressionRow } from '../sqlite/rows.ts';

export const IMPRESSION_UPSERT_SQL = `
  INSERT INTO impressions (page_id, user_id, ts, variant, model_version, rows, packed, item_count)
  SELECT p, u, t, v, m, '', b, n FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::bytea[], $7::int4[])
    AS x (p, u, t, v, m, b, n)
  ON CONFLICT (page_id) DO UPDATE SET user_id = excluded.user_id, ts = excluded.ts, variant = excluded.variant,
    model_version = excluded.model_version, rows = excluded.rows, packed = excluded.packed, item_count = excluded.item_count`;

// oldest first through impressions_by_ts: a pass reads only what it deletes
const DELETE_BEFORE_SQL = `DELETE FROM impressions WHERE page_id IN
  (SELECT page_id FROM impressions WHERE ts < $1 ORDER BY ts LIMIT $2)`;

// ON CONFLICT waits for a concurrent insert of the same term and skips it; the SELECT then sees it committed
const ADD_TERMS_SQL = 'INSERT INTO page_terms (term) SELECT unnest($1::text[]) ON CONFLICT (term) DO NOTHING';
const IXS_OF_TERMS_SQL = 'SELECT ix, term FROM page_terms WHERE term = ANY($1::text[])';
const TERMS_OF_IXS_SQL = 'SELECT ix, term FROM page_terms WHERE ix = ANY($1::int4[])';

export class PostgresPageRecords {
  private readonly terms = new PageTermCache();

  constructor(private readonly pool: pg.Pool) {}

  /** Parameters of IMPRESSION_UPSERT_SQL for `records` (numbering their new terms first). */
  async upsertParams(records: readonly ImpressionRecord[]): Promise<unknown[][]> {
    const missing = records.every((r) => this.terms.knowsAll(r.rows)) ? [] : this.terms.missingTerms([...new Set(records.flatMap((r) => termsOf(r.rows)))]);
    if (missing.length > 0) {
      await this.pool.query(ADD_TERMS_SQL, [missing]);
      await this.cache(IXS_OF_TERMS_SQL, missing);
    }
    const columns: unknown[][] = [[], [], [], [], [], [], []];
    for (const r of records) {
      const row = [r.pageId, r.userId, r.ts, r.variant ?? null, r.modelVersion ?? null, encodeRows(r.rows, this.terms.ixOf), itemCountOf(r.rows)];
      row.forEach((value, c) => columns[c].push(value));
    }
    return columns;
  }

  /** A stored row as a record (its terms fetched once when this process has not seen them). */
  async record(row: ImpressionRow): Promise<ImpressionRecord> {
    if (row.packed) {
      const missing = this.terms.missingIxs(termIxsOf(row.packed));
      if (missing.length > 0) await this.cache(TERMS_OF_IXS_SQL, missing);
    }
    return rowToImpression(row, this.terms.termOf);
  }

  /** Deletes at most `limit` records older than `cutoffTs`, oldest first; how many it deleted. */
  async deleteBefore(cutoffTs: number, limit: number): Promise<number> {
    return (await this.pool.query(DELETE_BEFORE_SQL, [cutoffTs, limit])).rowCount ?? 0;
  }

  private async cache(sql: string, keys: readonly unknown[]): Promise<void> {
    const { rows } = await this.pool.query<{ ix: number; term: string }>(sql, [keys]);
    for (const { ix, term } of rows) this.terms.add(term, ix);
  }
}
