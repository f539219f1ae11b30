/**
 * Rows of the merchandising tables (carousels, page templates, experiments) as every SQL store reads
 * them, and their records. The drivers differ only in how a boolean comes back (SQLite 0/1, PostgreSQL
 * true/false); JSON columns are text in both.
 */
import type { CarouselRecord, ExperimentRecord, PageTemplateInput, PageTemplateRecord } from './store.ts';

export interface CarouselRow {
  id: string; title: string; item_ids: string; personalize: number | boolean; active_from: number | null;
  active_to: number | null; audience: string | null; created_at: number; updated_at: number;
}

export interface TemplateRow { name: string; rows: string; max_rows: number | null; created_at: number; updated_at: number }

export interface ExperimentRow { id: string; variants: string; status: string; created_at: number; updated_at: number }

/** A carousel row as its record. */
export function rowToCarousel(r: CarouselRow): CarouselRecord {
  const c: CarouselRecord = {
    id: r.id, title: r.title, itemIds: JSON.parse(r.item_ids), personalize: r.personalize === true || r.personalize === 1,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
  if (r.active_from !== null) c.activeFrom = r.active_from;
  if (r.active_to !== null) c.activeTo = r.active_to;
  if (r.audience !== null) c.audience = JSON.parse(r.audience);
  return c;
}

/**
 * The `rows` column of a template: its rows as a JSON array, or `{rows, rowOrder}` when the order is set.
 * TODO(schema): rowOrder shares the rows column so that no migration is needed; a column of its own
 * belongs with the next schema change.
 */
export function templateRowsJson(t: PageTemplateInput): string {
  return JSON.stringify(t.rowOrder === undefined ? t.rows : { rows: t.rows, rowOrder: t.rowOrder });
}

/** A page template row as its record. */
export function rowToTemplate(r: TemplateRow): PageTemplateRecord {
  const stored = JSON.parse(r.rows) as PageTemplateInput['rows'] | Pick<PageTemplateInput, 'rows' | 'rowOrder'>;
  const t: PageTemplateRecord = Array.isArray(stored)
    ? { name: r.name, rows: stored, createdAt: r.created_at, updatedAt: r.updated_at }
    : { name: r.name, rows: stored.rows, createdAt: r.created_at, updatedAt: r.updated_at, ...(stored.rowOrder ? { rowOrder: stored.rowOrder } : {}) };
  if (r.max_rows !== null) t.maxRows = r.max_rows;
  return t;
}

/** An experiment row as its record. */
export function rowToExperiment(r: ExperimentRow): ExperimentRecord {
  return {
    id: r.id, variants: JSON.parse(r.variants), status: r.status as ExperimentRecord['status'],
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
