/**
 * Logging a served page: the impression record (the fallback chain's "last page", the report's
 * exposure) and, when asked for (serving.impressionItemEvents), one `impression` event per shown item carrying its page, row,
 * position, variant and model version. Outcome events that name the page (context.pageId) link back
 * to the page and so to its variant and model version either way. One store transaction per page.
 * Cost (SQLite, 8 rows × 20 items, measured): ~1.3–1.6 ms of CPU per page with item events, each a row
 * in the indexed event log, against ~0.15 ms for the page record alone. At 1,000 pages/s item events
 * alone would take more than a core, and a read must not grow members' histories (issue 20): so they
 * are off by default, and stored only for members the store holds. Experiment reports count the same either way.
 */
import { createHash } from 'node:crypto';
import type { VitrineEvent } from '../../core/types.ts';
import type { ImpressionRecord, Store } from '../../storage/store.ts';

/** The parts of a served page that are logged (the page composer's Page fits). */
export interface ServedPage {
  pageId: string;
  userId: string;
  variant?: string;
  modelVersion?: string | null;
  rows: ReadonlyArray<{ rowId: string; kind: string; items: ReadonlyArray<{ itemId: string }> }>;
}

/** Event ids must stay valid ids (≤ 128 characters) whatever the page id's length. */
function eventIdPrefix(pageId: string): string {
  return pageId.length <= 100 ? `imp:${pageId}` : `imp:${createHash('sha1').update(pageId).digest('hex')}`;
}

// a reused page (page-cache.ts) serves the same rows array again and again: its record's rows are made
// once, and being the same array, the store can serialise them once too (sqlite-store.ts)
const recordRows = new WeakMap<ServedPage['rows'], ImpressionRecord['rows']>();

function recordRowsOf(rows: ServedPage['rows']): ImpressionRecord['rows'] {
  let made = recordRows.get(rows);
  if (!made) recordRows.set(rows, (made = rows.map((r) => ({ rowId: r.rowId, kind: r.kind, items: r.items.map((i) => i.itemId) }))));
  return made;
}

/**
 * The page's record as stored (rows of item ids). It is all the page log holds of a page until the
 * record is committed: the page itself (its items, reasons, scores) then dies young instead of living
 * through the flush window and the commit, which got ~20 KB of every fresh page promoted in the page
 * workers (bench/results/serve-fresh-cpu.md, h22proc).
 */
export function impressionRecordOf(page: ServedPage, ts: number): ImpressionRecord {
  const record: ImpressionRecord = { pageId: page.pageId, userId: page.userId, ts, rows: recordRowsOf(page.rows) };
  if (page.variant !== undefined) record.variant = page.variant;
  if (page.modelVersion) record.modelVersion = page.modelVersion;
  return record;
}

/**
 * One `impression` event per shown item of a page record (serving.impressionItemEvents; 160 event
 * objects a page were ~30 KB of garbage per page served at 1,000 pages/s: the young-generation
 * collections that paused the page workers, so they are made only when asked for).
 */
export function impressionEventsOf(record: ImpressionRecord): VitrineEvent[] {
  const prefix = eventIdPrefix(record.pageId);
  const events: VitrineEvent[] = [];
  for (let r = 0; r < record.rows.length; r++) {
    const row = record.rows[r];
    for (let position = 0; position < row.items.length; position++) {
      const context: NonNullable<VitrineEvent['context']> = { pageId: record.pageId, rowId: row.rowId, position };
      if (record.variant !== undefined) context.variant = record.variant;
      if (record.modelVersion !== undefined) context.modelVersion = record.modelVersion;
      events.push({ id: `${prefix}:${r}:${position}`, type: 'impression', userId: record.userId, itemId: row.items[position], ts: record.ts, context });
    }
  }
  return events;
}

/** The impression record and, with `itemEvents`, the per-item events of a page, as they are stored. */
export function impressionOf(page: ServedPage, ts: number, { itemEvents = false }: { itemEvents?: boolean } = {}): { record: ImpressionRecord; events: VitrineEvent[] } {
  const record = impressionRecordOf(page, ts);
  return { record, events: itemEvents ? impressionEventsOf(record) : [] };
}

export interface RecordImpressionOptions {
  /** epoch ms of the page; now by default */
  ts?: number;
  /** also write one `impression` event per shown item of a member the store holds (default false: the page record only) */
  itemEvents?: boolean;
}

/**
 * Stores the page (and its per-item impression events) in one transaction; `opts` may be just the ts.
 * Call it after responding; it rejects with a store error (VITRINE_STORE_*) to log, not send.
 */
export async function recordImpression(
  store: Pick<Store, 'putImpressionWithEvents'>, page: ServedPage, opts: number | RecordImpressionOptions = {},
): Promise<void> {
  if (typeof opts === 'number') opts = { ts: opts };
  const { record, events } = impressionOf(page, opts.ts ?? Date.now(), { itemEvents: opts.itemEvents === true });
  await store.putImpressionWithEvents(record, events);
}

/** Stores several served pages' records (impressionRecordOf) in one transaction, as recordImpression would one by one. */
export async function recordImpressions(
  store: Pick<Store, 'putImpressionsWithEvents'>, records: ReadonlyArray<ImpressionRecord>, opts: { itemEvents?: boolean } = {},
): Promise<void> {
  const itemEvents = opts.itemEvents === true;
  await store.putImpressionsWithEvents(records.map((record) => ({ record, events: itemEvents ? impressionEventsOf(record) : [] })));
}
