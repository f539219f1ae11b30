/**
 * The fit model's parts ↔ artifact payloads (typed arrays and id lists) and manifest extras, for the
 * shared artifact module (src/ml/artifact.ts) to write and checksum.
 */
import { VitrineError } from '../../core/errors.ts';
import { payloadOf, stringsOf, type LoadedArtifact, type ManifestDraft, type Payloads } from '../artifact.ts';
import type { FitColumnSchema, FitVocabulary } from './align-fit-data.ts';
import type { FitParams } from './fit-params.ts';
import type { FitTables } from './fit-tables.ts';
import type { Forest } from './gbdt/forest.ts';
import { keyedFrom, type GroupStats } from './group-stats.ts';

export const FIT_ALGORITHM = 'fit';
export const FIT_FORMAT_VERSION = 1;

export interface FitModelInfo {
  /** boosting rounds kept after early stopping */
  rounds: number;
  validationScore: number;
  nRows: number;
  createdAt: number;
}

export interface FitModelParts {
  vocab: FitVocabulary;
  tables: FitTables;
  forest: Forest;
  params: FitParams;
  featureNames: string[];
  /** per column (member-scope columns only, else empty): the last value seen for each member */
  memberValues: Float64Array[];
  /** per column (item-scope columns only, else empty): the last value seen for each item */
  itemValues: Float64Array[];
  info: FitModelInfo;
}

interface FitExtra {
  columns: Array<Omit<FitColumnSchema, 'labels'>>;
  featureNames: string[];
  categoryColumn: number;
  bodyNumeric: number[];
  bodyCategorical: number[];
  nClasses: number;
  nFeatures: number;
  info: FitModelInfo;
}

const STAT_FIELDS = ['count', 'small', 'large', 'sizeSum', 'sizeCount'] as const;

function statsPayloads(prefix: string, stats: GroupStats, out: Payloads): void {
  for (const f of STAT_FIELDS) out[`${prefix}.${f}`] = stats[f];
}

function statsFrom(loaded: LoadedArtifact, prefix: string): GroupStats {
  const get = (f: string): Float64Array => payloadOf(loaded, `${prefix}.${f}`, Float64Array);
  return { count: get('count'), small: get('small'), large: get('large'), sizeSum: get('sizeSum'), sizeCount: get('sizeCount') };
}

/** Manifest draft and payloads of a model. */
export function encodeFitModel(parts: FitModelParts): { draft: ManifestDraft; payloads: Payloads } {
  const { vocab, tables: t, forest } = parts;
  const payloads: Payloads = { userIds: vocab.userIds, itemIds: vocab.itemIds, prior: t.prior };
  statsPayloads('user', t.user, payloads);
  statsPayloads('item', t.item, payloads);
  statsPayloads('itemSize', t.itemSize.stats, payloads);
  payloads['itemSize.keys'] = t.itemSize.keys;
  statsPayloads('userCategory', t.userCategory.stats, payloads);
  payloads['userCategory.keys'] = t.userCategory.keys;
  vocab.columns.forEach((c, j) => {
    payloads[`column${j}.labels`] = c.labels;
    statsPayloads(`column${j}.level`, t.levels[j], payloads);
    payloads[`column${j}.memberValues`] = parts.memberValues[j];
    payloads[`column${j}.itemValues`] = parts.itemValues[j];
  });
  Object.assign(payloads, {
    'body.mean': t.body.mean, 'body.std': t.body.std, 'body.weights': t.body.weights, itemResidual: t.itemResidual,
    'latent.userAnchor': t.latent.userAnchor, 'latent.userShift': t.latent.userShift,
    'latent.itemOffset': t.latent.itemOffset, 'latent.link': t.latent.link,
    'forest.base': forest.base, 'forest.treeRoot': forest.treeRoot, 'forest.nodeFeature': forest.nodeFeature,
    'forest.nodeThreshold': forest.nodeThreshold, 'forest.nodeNanLeft': forest.nodeNanLeft,
    'forest.nodeLeft': forest.nodeLeft, 'forest.nodeRight': forest.nodeRight, 'forest.nodeValue': forest.nodeValue,
  });
  const extra: FitExtra = {
    columns: vocab.columns.map(({ name, kind, scope }) => ({ name, kind, scope })),
    featureNames: parts.featureNames, categoryColumn: t.categoryColumn,
    bodyNumeric: t.body.numeric, bodyCategorical: t.body.categorical,
    nClasses: forest.nClasses, nFeatures: forest.nFeatures, info: parts.info,
  };
  const draft: ManifestDraft = {
    algorithm: FIT_ALGORITHM, formatVersion: FIT_FORMAT_VERSION, params: { ...parts.params }, createdAt: parts.info.createdAt,
    nUsers: vocab.userIds.length, nItems: vocab.itemIds.length, nInteractions: parts.info.nRows,
    extra: extra as unknown as Record<string, unknown>,
  };
  return { draft, payloads };
}

/** A model's parts from a loaded artifact; VITRINE_MODEL_ARTIFACT_CORRUPT when a part is missing. */
export function decodeFitModel(loaded: LoadedArtifact): FitModelParts {
  const extra = loaded.manifest.extra as unknown as FitExtra | undefined;
  if (!extra || !Array.isArray(extra.columns) || !Array.isArray(extra.featureNames)) {
    throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', 'fit artifact: manifest lacks its column schema');
  }
  const f64 = (name: string): Float64Array => payloadOf(loaded, name, Float64Array);
  const i32 = (name: string): Int32Array => payloadOf(loaded, name, Int32Array);
  // the vocabulary's lists are FitData's (mutable) lists: copies of the thread's shared ones (id-lists.ts);
  // the fit model lists other members than the rest (333,064 against 355,877 on the 1M bench world)
  const userIds = [...stringsOf(loaded, 'userIds')];
  const itemIds = [...stringsOf(loaded, 'itemIds')];
  const columns: FitColumnSchema[] = extra.columns.map((c, j) => ({ ...c, labels: [...stringsOf(loaded, `column${j}.labels`)] }));
  const vocab: FitVocabulary = {
    userIds, itemIds, columns,
    userIndex: new Map(userIds.map((id, j) => [id, j])), itemIndex: new Map(itemIds.map((id, j) => [id, j])),
  };
  const tables: FitTables = {
    prior: f64('prior'),
    user: statsFrom(loaded, 'user'),
    item: statsFrom(loaded, 'item'),
    itemSize: keyedFrom(f64('itemSize.keys'), statsFrom(loaded, 'itemSize')),
    userCategory: keyedFrom(f64('userCategory.keys'), statsFrom(loaded, 'userCategory')),
    categoryColumn: extra.categoryColumn,
    levels: columns.map((_, j) => statsFrom(loaded, `column${j}.level`)),
    body: {
      numeric: extra.bodyNumeric, categorical: extra.bodyCategorical,
      mean: f64('body.mean'), std: f64('body.std'), weights: f64('body.weights'),
    },
    itemResidual: f64('itemResidual'),
    latent: {
      userAnchor: f64('latent.userAnchor'), userShift: f64('latent.userShift'),
      itemOffset: f64('latent.itemOffset'), link: f64('latent.link'),
    },
  };
  const forest: Forest = {
    nClasses: extra.nClasses, nFeatures: extra.nFeatures, base: f64('forest.base'), treeRoot: i32('forest.treeRoot'),
    nodeFeature: i32('forest.nodeFeature'), nodeThreshold: f64('forest.nodeThreshold'),
    nodeNanLeft: payloadOf(loaded, 'forest.nodeNanLeft', Uint8Array), nodeLeft: i32('forest.nodeLeft'),
    nodeRight: i32('forest.nodeRight'), nodeValue: f64('forest.nodeValue'),
  };
  return {
    vocab, tables, forest, params: loaded.manifest.params as FitParams, featureNames: extra.featureNames,
    memberValues: columns.map((_, j) => f64(`column${j}.memberValues`)),
    itemValues: columns.map((_, j) => f64(`column${j}.itemValues`)),
    info: extra.info,
  };
}
