/**
 * Everything the fit model learns from a set of reference rentals before the boosted stage: the fit
 * history of members, items, items in a size, members in a category and each categorical level; the
 * body → size regression and each item's residual against it; the latent member sizes and item
 * offsets. The features of a rental are read from these tables (fit-features.ts).
 */
import { fitBodySize, predictBodySize, type BodySizeModel } from './body-size.ts';
import { FIT, type FitData } from './fit-data.ts';
import { addRental, collectKeyed, emptyStats, type GroupStats, type KeyedStats } from './group-stats.ts';
import { trainLatentSizes, type LatentSizeParams, type LatentSizes } from './latent-size.ts';

export interface FitTableParams {
  /** pseudo-count pulling a group's small/large rates to the global ones */
  smoothing: number;
  /** L2 of the body → size regression */
  bodyRidge: number;
  latent: LatentSizeParams;
}

export interface FitTables {
  /** global P(small), P(fit), P(large) */
  prior: Float64Array;
  user: GroupStats;
  item: GroupStats;
  itemSize: KeyedStats;
  /** member × the item category column (empty when there is none) */
  userCategory: KeyedStats;
  /** index into FitData.columns of the item-scope categorical column paired with members, −1 none */
  categoryColumn: number;
  /** per categorical column (others: empty), stats per label */
  levels: GroupStats[];
  body: BodySizeModel;
  /** per item: [Σ residual, n, Σ residual of "fit" rentals, n fit] with residual = size − body size */
  itemResidual: Float64Array;
  latent: LatentSizes;
}

const SIZE_SPAN = 8192;
const CODE_SPAN = 65536;

/** Key of item i in size s (sizes in quarter steps); −1 when either is unknown. */
export function itemSizeKey(i: number, s: number): number {
  if (i < 0 || Number.isNaN(s)) return -1;
  return i * SIZE_SPAN + Math.min(SIZE_SPAN - 1, Math.max(0, Math.round(s * 4) + SIZE_SPAN / 2));
}

/** Key of member u in category code c; −1 when either is unknown. */
export function userCategoryKey(u: number, c: number): number {
  return u < 0 || c < 0 ? -1 : u * CODE_SPAN + Math.min(c, CODE_SPAN - 1);
}

/** The item-scope categorical column to pair with members: "category" if present, else the first. */
export function pickCategoryColumn(data: Pick<FitData, 'columns'>): number {
  const named = data.columns.findIndex((c) => c.kind === 'categorical' && c.scope === 'item' && c.name === 'category');
  if (named >= 0) return named;
  return data.columns.findIndex((c) => c.kind === 'categorical' && c.scope === 'item');
}

/** Learns the tables from `rows` of `data`. */
export function learnFitTables(data: FitData, rows: Int32Array, params: FitTableParams): FitTables {
  const nUsers = data.userIds.length;
  const nItems = data.itemIds.length;
  const { users, items, sizes, labels } = data;
  const prior = new Float64Array(3);
  const user = emptyStats(nUsers);
  const item = emptyStats(nItems);
  for (const k of rows) {
    prior[labels[k]] += 1;
    addRental(user, users[k], labels[k], sizes[k]);
    addRental(item, items[k], labels[k], sizes[k]);
  }
  for (let c = 0; c < 3; c++) prior[c] /= Math.max(1, rows.length);

  const itemSize = collectKeyed(rows, (k) => itemSizeKey(items[k], sizes[k]), labels, sizes);
  const categoryColumn = pickCategoryColumn(data);
  const catCol = categoryColumn >= 0 ? data.columns[categoryColumn] : undefined;
  const catCodes = catCol?.kind === 'categorical' ? catCol.codes : undefined;
  const userCategory = collectKeyed(rows, (k) => (catCodes ? userCategoryKey(users[k], catCodes[k]) : -1), labels, sizes);

  const levels = data.columns.map((c) => {
    if (c.kind !== 'categorical') return emptyStats(0);
    const stats = emptyStats(c.labels.length);
    for (const k of rows) if (c.codes[k] >= 0) addRental(stats, c.codes[k], labels[k], sizes[k]);
    return stats;
  });

  const body = fitBodySize(data, rows, params.bodyRidge);
  const itemResidual = new Float64Array(nItems * 4);
  const scratch = new Float64Array(body.weights.length);
  for (const k of rows) {
    if (Number.isNaN(sizes[k])) continue;
    const r = sizes[k] - predictBodySize(body, data, k, scratch);
    const at = items[k] * 4;
    itemResidual[at] += r;
    itemResidual[at + 1] += 1;
    if (labels[k] === FIT) {
      itemResidual[at + 2] += r;
      itemResidual[at + 3] += 1;
    }
  }

  const latent = trainLatentSizes(
    { users: pickRows(users, rows), items: pickRows(items, rows), sizes: pickRows(sizes, rows), labels: pickRows(labels, rows) },
    nUsers, nItems, params.latent,
  );
  return { prior, user, item, itemSize, userCategory, categoryColumn, levels, body, itemResidual, latent };
}

function pickRows<T extends Int32Array | Float64Array | Int8Array>(src: T, rows: Int32Array): T {
  const out = new (src.constructor as new (n: number) => T)(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = src[rows[j]];
  return out;
}
