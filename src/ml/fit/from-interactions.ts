/**
 * FitData from the model library's interaction data (as the pipeline reads it from the store): the
 * rows with fit feedback, their size labels normalised, the occasion, the item's category, and the
 * member's profile attributes as member columns (numbers → numeric, text → categorical; a bust size
 * like "34d" is split into band and cup).
 */
import type { AttributeValue } from '../../core/types.ts';
import type { InteractionData, ItemFeatures } from '../dataset.ts';
import type { CategoricalColumn, FitColumn, FitData } from './fit-data.ts';
import type { FitFeatureValues } from './fit-model.ts';
import { cupOrdinal, normaliseSize } from './size-normaliser.ts';

const BUST = /^(\d{2})\s*([a-k]{1,3}\+?)$/i;
/** a text attribute with more distinct values is an identifier or free text, not a category */
const MAX_LEVELS = 256;

/** The fit-labelled rows of `interactions` as FitData (member and item indexes renumbered densely). */
export function fitDataFromInteractions(
  interactions: InteractionData, itemFeatures?: ItemFeatures,
  memberAttributes?: (userId: string) => Record<string, AttributeValue> | undefined,
): FitData {
  const { fits, sizes: sizeCodes, sizeLabels = [], occasions, occasionLabels = [] } = interactions;
  const rows: number[] = [];
  if (fits) for (let k = 0; k < fits.length; k++) if (fits[k] >= 0 && fits[k] <= 2) rows.push(k);
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const users = Int32Array.from(rows, (k) => indexOf(userIndex, interactions.userIds[interactions.users[k]]));
  const items = Int32Array.from(rows, (k) => indexOf(itemIndex, interactions.itemIds[interactions.items[k]]));
  const sizeValues = sizeLabels.map((l) => normaliseSize(l));
  const columns: FitColumn[] = [];

  const attrs = [...userIndex.keys()].map((id) => memberAttributes?.(id) ?? {});
  for (const key of [...new Set(attrs.flatMap((a) => Object.keys(a)))].sort()) {
    const perUser = attrs.map((a) => a[key]);
    const texts = perUser.filter((v): v is string => typeof v === 'string');
    if (texts.length > 0 && texts.every((t) => BUST.test(t.trim()))) {
      const parts = perUser.map((v) => (typeof v === 'string' ? BUST.exec(v.trim()) : null));
      columns.push(numeric(`${key}.band`, users, (u) => (parts[u] ? Number(parts[u][1]) : Number.NaN)));
      columns.push(numeric(`${key}.cup`, users, (u) => (parts[u] ? cupOrdinal(parts[u][2]) : Number.NaN)));
    } else if (texts.length === 0) {
      columns.push(numeric(key, users, (u) => (typeof perUser[u] === 'number' ? (perUser[u] as number) : Number.NaN)));
    } else if (new Set(texts).size <= MAX_LEVELS) {
      columns.push(categorical(key, 'member', Int32Array.from(users, (u) => u), perUser.map((v) => (v === undefined ? undefined : String(v)))));
    }
  }
  if (itemFeatures) {
    const itemOfRow = Int32Array.from(rows, (k) => interactions.items[k]);
    columns.push(categorical('category', 'item', itemOfRow, itemFeatures.category.map((c) => (c === '' ? undefined : c))));
  }
  if (occasions && occasionLabels.length > 0) {
    const codes = Int32Array.from(rows, (k) => occasions[k]);
    columns.push({ kind: 'categorical', name: 'occasion', scope: 'rental', codes, labels: occasionLabels });
  }
  return {
    userIds: [...userIndex.keys()],
    itemIds: [...itemIndex.keys()],
    users,
    items,
    sizes: Float64Array.from(rows, (k) => (sizeCodes && sizeCodes[k] >= 0 ? sizeValues[sizeCodes[k]] : Number.NaN)),
    labels: Int8Array.from(rows, (k) => (fits as Int8Array)[k]),
    columns,
  };
}

/**
 * A member's profile attributes as the member columns fitDataFromInteractions makes of them (a bust
 * size split into `<key>.band` and `<key>.cup`): what a prediction for a member passes as features.
 */
export function fitFeaturesOf(attributes: Readonly<Record<string, AttributeValue>>): FitFeatureValues {
  const out: FitFeatureValues = Object.create(null);
  for (const [key, v] of Object.entries(attributes)) {
    const bust = typeof v === 'string' ? BUST.exec(v.trim()) : null;
    if (bust) {
      out[`${key}.band`] = Number(bust[1]);
      out[`${key}.cup`] = cupOrdinal(bust[2]);
    } else if (typeof v === 'number' || typeof v === 'string') out[key] = v;
    else out[key] = String(v);
  }
  return out;
}

function indexOf(index: Map<string, number>, id: string): number {
  let j = index.get(id);
  if (j === undefined) index.set(id, (j = index.size));
  return j;
}

function numeric(name: string, owners: Int32Array, valueOf: (owner: number) => number): FitColumn {
  return { kind: 'numeric', name, scope: 'member', values: Float64Array.from(owners, valueOf) };
}

/** A categorical column whose row k takes the value of owner owners[k] in `values`. */
function categorical(
  name: string, scope: CategoricalColumn['scope'], owners: Int32Array, values: Array<string | undefined>,
): CategoricalColumn {
  const index = new Map<string, number>();
  const codeOfOwner = values.map((v) => (v === undefined ? -1 : indexOf(index, v)));
  return { kind: 'categorical', name, scope, codes: Int32Array.from(owners, (o) => codeOfOwner[o]), labels: [...index.keys()] };
}
