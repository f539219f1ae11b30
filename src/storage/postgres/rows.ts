/**
 * Mapping between PostgreSQL rows and domain objects. JSON fields are text columns written and read as
 * the SQLite store does them, so members, events, models and impressions share its mappers; items
 * differ only in their boolean columns.
 */
import type { Item, ItemInput } from '../../core/types.ts';
import { embeddingToBlob, rowToItem as sqliteRowToItem, type ItemRow as SqliteItemRow } from '../sqlite/rows.ts';

export {
  eventParams, rowToEvent, rowToImpression, rowToModel, rowToSignal, rowToUser,
  type EventRow, type ImpressionRow, type ModelRow, type SignalRow, type UserRow,
} from '../sqlite/rows.ts';

export type ItemRow = Omit<SqliteItemRow, 'retired' | 'placeholder'> & { retired: boolean; placeholder: boolean };

export function rowToItem(r: ItemRow): Item {
  return sqliteRowToItem({ ...r, retired: r.retired ? 1 : 0, placeholder: r.placeholder ? 1 : 0 });
}

/** Item columns of an upsert, in ITEM_COLUMNS order (one array per column for `unnest`). */
export const ITEM_COLUMNS = [
  'id', 'title', 'category', 'brand', 'tags', 'attributes', 'price', 'image_url', 'embedding', 'sizes', 'available_from', 'retired',
] as const;
export const ITEM_COLUMN_TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'float8', 'text', 'bytea', 'text', 'int8', 'bool'];

/** One item's values in ITEM_COLUMNS order. */
export function itemValues(id: string, item: ItemInput): unknown[] {
  return [
    id, item.title, item.category, item.brand ?? null, JSON.stringify(item.tags ?? []), JSON.stringify(item.attributes ?? {}),
    item.price ?? null, item.imageUrl ?? null, embeddingToBlob(item.embedding), JSON.stringify(item.sizes ?? {}),
    item.availableFrom ?? null, item.retired === true,
  ];
}

/** Event columns in `eventParams` order, with their array types for `unnest`. */
export const EVENT_COLUMNS = [
  'id', 'type', 'user_id', 'item_id', 'ts', 'size', 'fit', 'rating', 'value', 'occasion', 'page_id', 'row_id', 'position',
  'variant', 'model_version',
] as const;
export const EVENT_COLUMN_TYPES = ['text', 'text', 'text', 'text', 'int8', 'text', 'text', 'float8', 'float8', 'text', 'text', 'text', 'int4', 'text', 'text'];

/** Transposes rows of values into one array per column (what `unnest($1::t[], $2::t[], …)` takes). */
export function columnsOf(rows: ReadonlyArray<readonly unknown[]>, width: number): unknown[][] {
  const columns: unknown[][] = Array.from({ length: width }, () => new Array(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let c = 0; c < width; c++) columns[c][r] = row[c];
  }
  return columns;
}
