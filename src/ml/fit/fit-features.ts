/**
 * The features of a rental for the boosted stage, read from tables learned on other rentals: the
 * rented size and raw columns; fit history of the member, the item, the item in that size, the member
 * in that category and each categorical level; the size relative to what the member and the item's
 * renters usually take and to what the body predicts; the latent-size mismatch and its probabilities.
 * Query rows may have member or item −1 (never seen): their history features say "no history".
 */
import { predictBodySize } from './body-size.ts';
import type { FitData } from './fit-data.ts';
import { itemSizeKey, userCategoryKey, type FitTables } from './fit-tables.ts';
import { writeGroupFeatures } from './group-stats.ts';
import { latentZ, ordinalProbs } from './latent-size.ts';

const GROUP = ['n', 'pSmall', 'pLarge', 'meanSize', 'sizeVsMean'];

/** Names of the features, in column order, for data with these columns. */
export function fitFeatureNames(data: Pick<FitData, 'columns'>): string[] {
  const names = ['size'];
  for (const c of data.columns) names.push(c.kind === 'numeric' ? c.name : `${c.name}.code`);
  for (const c of data.columns) if (c.kind === 'categorical') names.push(`${c.name}.n`, `${c.name}.pSmall`, `${c.name}.pLarge`);
  for (const g of ['user', 'item']) names.push(...GROUP.map((s) => `${g}.${s}`));
  names.push('itemSize.n', 'itemSize.pSmall', 'itemSize.pLarge');
  names.push(...GROUP.map((s) => `userCategory.${s}`));
  names.push('bodySize', 'sizeVsBody', 'sizeVsBodyItem', 'sizeVsBodyItemFit');
  names.push('latent.z', 'latent.pSmall', 'latent.pLarge');
  return names;
}

/** Feature-major columns (one Float64Array per feature) for `rows` of `data` (all rows by default). */
export function fitFeatureColumns(
  tables: FitTables, data: FitData, smoothing: number, rows?: ArrayLike<number>,
): Float64Array[] {
  const n = rows ? rows.length : data.labels.length;
  const names = fitFeatureNames(data);
  const cols = names.map(() => new Float64Array(n));
  const scratch = new Float64Array(tables.body.weights.length);
  const probs = new Float64Array(3);
  const { prior } = tables;
  const catCol = tables.categoryColumn >= 0 ? data.columns[tables.categoryColumn] : undefined;
  for (let j = 0; j < n; j++) {
    const k = rows ? rows[j] : j;
    const u = data.users[k];
    const i = data.items[k];
    const s = data.sizes[k];
    let at = 0;
    cols[at++][j] = s;
    for (const c of data.columns) cols[at++][j] = c.kind === 'numeric' ? c.values[k] : c.codes[k] >= 0 ? c.codes[k] : Number.NaN;
    data.columns.forEach((c, ci) => {
      if (c.kind !== 'categorical') return;
      const levelStats = tables.levels[ci];
      const code = c.codes[k] < levelStats.count.length ? c.codes[k] : -1;
      at = writeGroupFeatures(levelStats, code, s, prior, smoothing, cols, at, j, false);
    });
    at = writeGroupFeatures(tables.user, u, s, prior, smoothing, cols, at, j);
    at = writeGroupFeatures(tables.item, i, s, prior, smoothing, cols, at, j);
    const isGroup = tables.itemSize.index.get(itemSizeKey(i, s)) ?? -1;
    at = writeGroupFeatures(tables.itemSize.stats, isGroup, s, prior, smoothing, cols, at, j, false);
    const code = catCol?.kind === 'categorical' ? catCol.codes[k] : -1;
    const ucGroup = tables.userCategory.index.get(userCategoryKey(u, code)) ?? -1;
    at = writeGroupFeatures(tables.userCategory.stats, ucGroup, s, prior, smoothing, cols, at, j);

    const body = predictBodySize(tables.body, data, k, scratch);
    const res = tables.itemResidual;
    const itemRes = i >= 0 && res[i * 4 + 1] > 0 ? res[i * 4] / (res[i * 4 + 1] + 3) : 0;
    const itemFitRes = i >= 0 && res[i * 4 + 3] > 0 ? res[i * 4 + 2] / (res[i * 4 + 3] + 3) : 0;
    cols[at++][j] = body;
    cols[at++][j] = s - body;
    cols[at++][j] = s - body - itemRes;
    cols[at++][j] = s - body - itemFitRes;

    const z = latentZ(tables.latent, u, i, s);
    ordinalProbs(tables.latent, z, probs);
    cols[at++][j] = z;
    cols[at++][j] = probs[0];
    cols[at++][j] = probs[2];
  }
  return cols;
}
