/**
 * Item popularity from interactions: distinct members or interactions, over all time, a trailing
 * window ("trending") or with exponential time decay; overall and per segment (size, occasion,
 * category). EVALUATION.md's `popularity` = distinct users, all time; `popularity-recent` = interactions
 * in the 90 days before the end of train.
 */
import { DAY_MS } from '../../core/time.ts';
import { VitrineError } from '../../core/errors.ts';
import type { InteractionData, ItemFeatures } from '../dataset.ts';
import { buildCsr } from '../common/csr.ts';

export type PopularityParams = {
  /** all time, exponentially decayed by age, or a trailing window before the end of train */
  mode: 'all' | 'decayed' | 'window';
  /** count distinct members (repeats once) or every interaction */
  count: 'users' | 'interactions';
  halfLifeDays: number;
  windowDays: number;
  /** interactions lighter than this (e.g. views when rents weigh 1) are not counted */
  minWeight: number;
  /** also score per segment: the interaction's size or occasion, or the item's category */
  segmentBy: 'none' | 'size' | 'occasion' | 'category';
  /**
   * 'query': a window or decay is recounted at the time a question is asked (RecommendOptions.asOf);
   * 'train': always at the end of train (EVALUATION.md's reference definition). Overall scores only:
   * segment scores stay at the end of train.
   */
  clock: 'query' | 'train';
};

/** One segment key per interaction (−1 = none) and the segment labels. */
export interface SegmentKeys {
  keys: Int32Array;
  labels: string[];
}

/** The weight each interaction counts with (0 = not counted), given the end of train `end` (epoch ms). */
export function interactionWeights(data: InteractionData, p: PopularityParams, end: number): Float32Array {
  const n = data.users.length;
  const w = new Float32Array(n);
  const windowStart = end - p.windowDays * DAY_MS;
  const halfLifeMs = p.halfLifeDays * DAY_MS;
  for (let k = 0; k < n; k++) {
    if (data.weights[k] < p.minWeight) continue;
    const ts = data.ts[k];
    if (p.mode === 'window') w[k] = ts >= windowStart && ts <= end ? 1 : 0;
    else if (p.mode === 'decayed') w[k] = ts >= end ? 1 : Math.pow(0.5, (end - ts) / halfLifeMs);
    else w[k] = 1;
  }
  return w;
}

/**
 * Scores of `nGroups` × nItems groups (row g·nItems + i): Σ of interaction weights, or with
 * count = 'users' Σ over members of their largest weight (so each member counts once).
 */
export function groupedPopularity(
  data: InteractionData, weights: Float32Array, count: PopularityParams['count'], groupOf: Int32Array | undefined, nGroups: number,
): Float32Array {
  const nItems = data.itemIds.length;
  const rows = new Int32Array(data.items.length);
  for (let k = 0; k < rows.length; k++) rows[k] = groupOf ? (groupOf[k] < 0 || groupOf[k] >= nGroups ? -1 : groupOf[k] * nItems + data.items[k]) : data.items[k];
  const scores = new Float32Array(nGroups * nItems);
  if (count === 'interactions') {
    for (let k = 0; k < rows.length; k++) if (rows[k] >= 0) scores[rows[k]] += weights[k];
    return scores;
  }
  const pairs = buildCsr(nGroups * nItems, data.userIds.length, rows, data.users, weights, 'max', (k) => rows[k] >= 0 && weights[k] > 0);
  for (let r = 0; r < pairs.nRows; r++) {
    let s = 0;
    for (let k = pairs.indptr[r]; k < pairs.indptr[r + 1]; k++) s += pairs.values[k];
    scores[r] = s;
  }
  return scores;
}

/** Segment key of every interaction for `segmentBy`; VITRINE_MODEL_BAD_PARAMS when the data lacks it. */
export function segmentKeys(data: InteractionData, items: ItemFeatures | undefined, segmentBy: PopularityParams['segmentBy']): SegmentKeys | undefined {
  if (segmentBy === 'none') return undefined;
  if (segmentBy === 'size' || segmentBy === 'occasion') {
    const keys = segmentBy === 'size' ? data.sizes : data.occasions;
    const labels = segmentBy === 'size' ? data.sizeLabels : data.occasionLabels;
    if (!keys || !labels || keys.length !== data.users.length) {
      throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', `popularity: segmentBy "${segmentBy}" needs the interactions' ${segmentBy} column`);
    }
    return { keys, labels };
  }
  if (!items || items.category.length !== data.itemIds.length) {
    throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', 'popularity: segmentBy "category" needs item features for every item');
  }
  const labelIndex = new Map<string, number>();
  const itemKey = Int32Array.from(items.category, (c) => {
    let g = labelIndex.get(c);
    if (g === undefined) labelIndex.set(c, (g = labelIndex.size));
    return g;
  });
  return { keys: Int32Array.from(data.items, (i) => itemKey[i]), labels: [...labelIndex.keys()] };
}
