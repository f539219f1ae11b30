/**
 * Puts query rentals into a trained model's index spaces: member and item ids → the model's indexes
 * (−1 when never seen), columns matched by name (absent → missing) and categorical labels → the
 * model's codes (an unseen label → missing). Data that already shares the model's vocabularies
 * passes through untouched.
 */
import type { ColumnScope, FitColumn, FitData } from './fit-data.ts';

/** A column as the model knows it (no values). */
export interface FitColumnSchema {
  name: string;
  kind: 'numeric' | 'categorical';
  scope: ColumnScope;
  /** categorical labels in code order */
  labels: string[];
}

/** What a model needs to align query data to itself. */
export interface FitVocabulary {
  userIds: string[];
  itemIds: string[];
  userIndex: Map<string, number>;
  itemIndex: Map<string, number>;
  columns: FitColumnSchema[];
}

/** The schema of data's columns. */
export function schemaOf(data: Pick<FitData, 'columns'>): FitColumnSchema[] {
  return data.columns.map((c) => ({ name: c.name, kind: c.kind, scope: c.scope, labels: c.kind === 'categorical' ? c.labels : [] }));
}

/** `query` re-indexed to `vocab` (same rows, same order). */
export function alignFitData(query: FitData, vocab: FitVocabulary): FitData {
  const n = query.labels.length;
  const users = query.userIds === vocab.userIds ? query.users : remap(query.users, query.userIds, vocab.userIndex);
  const items = query.itemIds === vocab.itemIds ? query.items : remap(query.items, query.itemIds, vocab.itemIndex);
  const byName = new Map(query.columns.map((c) => [c.name, c]));
  const columns = vocab.columns.map((schema): FitColumn => {
    const c = byName.get(schema.name);
    if (schema.kind === 'numeric') {
      const values = c?.kind === 'numeric' ? c.values : new Float64Array(n).fill(Number.NaN);
      return { kind: 'numeric', name: schema.name, scope: schema.scope, values };
    }
    let codes: Int32Array;
    if (c?.kind !== 'categorical') codes = new Int32Array(n).fill(-1);
    else if (sameLabels(c.labels, schema.labels)) codes = c.codes;
    else {
      const index = new Map(schema.labels.map((l, j) => [l, j]));
      const table = Int32Array.from(c.labels, (l) => index.get(l) ?? -1);
      codes = Int32Array.from(c.codes, (code) => (code >= 0 && code < table.length ? table[code] : -1));
    }
    return { kind: 'categorical', name: schema.name, scope: schema.scope, codes, labels: schema.labels };
  });
  return { userIds: vocab.userIds, itemIds: vocab.itemIds, users, items, sizes: query.sizes, labels: query.labels, columns };
}

function remap(indexes: Int32Array, ids: string[], to: Map<string, number>): Int32Array {
  const table = Int32Array.from(ids, (id) => to.get(id) ?? -1);
  return Int32Array.from(indexes, (x) => (x >= 0 && x < table.length ? table[x] : -1));
}

function sameLabels(a: string[], b: string[]): boolean {
  if (a === b) return true;
  if (a.length > b.length) return false;
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}
