/**
 * Sizes as ranks on one ladder, so that "±2 sizes" means two steps up or down whatever the labels are:
 * RTR's ordinal sizes (0, 1, 2 … 58) step by one, a chart like 0, 2, 4 … 22 steps by two, and letter
 * or regional labels are placed by the fit model's normaliser. Rank = position among the distinct
 * normalised sizes seen; labels that are not sizes get −1.
 */
import { normaliseSize } from '../fit/size-normaliser.ts';

export interface SizeScale {
  /** rank of each size label (by label index), −1 when the label is not a size */
  rankOfLabel: Int32Array;
  nRanks: number;
}

/** The ladder of `labels` (undefined → no sizes). */
export function sizeScale(labels: readonly string[] | undefined): SizeScale {
  const values = (labels ?? []).map((l) => normaliseSize(l));
  const distinct = [...new Set(values.filter(Number.isFinite))].sort((a, b) => a - b);
  const rankOf = new Map(distinct.map((v, r) => [v, r]));
  return { rankOfLabel: Int32Array.from(values, (v) => rankOf.get(v) ?? -1), nRanks: distinct.length };
}

/** Rank of interaction k's size, −1 when unknown. */
export function sizeRankAt(scale: SizeScale, sizes: Int32Array | undefined, k: number): number {
  if (!sizes) return -1;
  const label = sizes[k];
  return label >= 0 && label < scale.rankOfLabel.length ? scale.rankOfLabel[label] : -1;
}

/** Σ over ranks r ±2 of `counts[base + r]`, weighted 1, ½, ¼ by distance (EVALUATION.md's size band). */
export function sizeBandSum(counts: Float32Array, base: number, nRanks: number, rank: number): number {
  let s = 0;
  for (let d = -2; d <= 2; d++) {
    const r = rank + d;
    if (r >= 0 && r < nRanks) s += counts[base + r] * 0.5 ** Math.abs(d);
  }
  return s;
}
