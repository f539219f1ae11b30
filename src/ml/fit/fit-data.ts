/**
 * What the fit model trains from: one row per rental with fit feedback, as parallel typed arrays over
 * dense member and item indexes, plus optional side columns (body measurements, category, occasion…)
 * with NaN (numeric) or -1 (categorical) for missing. Pure data; eval and pipeline build it.
 */
import { VitrineError } from '../../core/errors.ts';

/** Fit labels in ordinal order: the item was too small, fitted, was too large. */
export const FIT_CLASSES = ['small', 'fit', 'large'] as const;
export const SMALL = 0;
export const FIT = 1;
export const LARGE = 2;

/** Whose property a column is: the member's (body), the item's (category) or the rental's (occasion). */
export type ColumnScope = 'member' | 'item' | 'rental';

export interface NumericColumn {
  kind: 'numeric';
  name: string;
  scope: ColumnScope;
  /** value of row k, NaN when unknown */
  values: Float64Array;
}

export interface CategoricalColumn {
  kind: 'categorical';
  name: string;
  scope: ColumnScope;
  /** index into `labels` of row k, -1 when unknown */
  codes: Int32Array;
  labels: string[];
}

export type FitColumn = NumericColumn | CategoricalColumn;

export interface FitData {
  /** dense index → external id */
  userIds: string[];
  itemIds: string[];
  /** member index of row k */
  users: Int32Array;
  /** item index of row k */
  items: Int32Array;
  /** rented size of row k on an ordinal scale (see normaliseSize), NaN when unknown */
  sizes: Float64Array;
  /** fit feedback of row k: 0 small, 1 fit, 2 large */
  labels: Int8Array;
  columns: FitColumn[];
}

/** Number of rows of a fit data set. */
export function fitRowCount(data: FitData): number {
  return data.labels.length;
}

/** The rows `rows` of `data` (same id vocabularies and column labels, so indexes stay comparable). */
export function selectFitRows(data: FitData, rows: ArrayLike<number>): FitData {
  const pick = <T extends Int32Array | Float64Array | Int8Array>(src: T, make: new (n: number) => T): T => {
    const out = new make(rows.length);
    for (let k = 0; k < rows.length; k++) out[k] = src[rows[k]];
    return out;
  };
  return {
    userIds: data.userIds,
    itemIds: data.itemIds,
    users: pick(data.users, Int32Array),
    items: pick(data.items, Int32Array),
    sizes: pick(data.sizes, Float64Array),
    labels: pick(data.labels, Int8Array),
    columns: data.columns.map((c): FitColumn =>
      c.kind === 'numeric'
        ? { ...c, values: pick(c.values, Float64Array) }
        : { ...c, codes: pick(c.codes, Int32Array) }),
  };
}

/** Throws VITRINE_MODEL_EMPTY_DATA / VITRINE_MODEL_BAD_PARAMS when `data` is empty or inconsistent. */
export function checkFitData(data: FitData): void {
  const n = data.labels.length;
  if (n === 0) throw new VitrineError('VITRINE_MODEL_EMPTY_DATA', 'fit: no rows with fit feedback');
  const bad = (what: string): never => {
    throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', `fit data: ${what}`);
  };
  if (data.users.length !== n || data.items.length !== n || data.sizes.length !== n) bad('arrays of different lengths');
  for (let k = 0; k < n; k++) {
    const l = data.labels[k];
    if (l !== SMALL && l !== FIT && l !== LARGE) bad(`row ${k} has label ${l}, not 0, 1 or 2`);
    if (data.users[k] < 0 || data.users[k] >= data.userIds.length) bad(`row ${k} has member index ${data.users[k]}`);
    if (data.items[k] < 0 || data.items[k] >= data.itemIds.length) bad(`row ${k} has item index ${data.items[k]}`);
  }
  const names = new Set<string>();
  for (const c of data.columns) {
    if (names.has(c.name)) bad(`two columns named "${c.name}"`);
    names.add(c.name);
    if ((c.kind === 'numeric' ? c.values.length : c.codes.length) !== n) bad(`column "${c.name}" has the wrong length`);
  }
}
