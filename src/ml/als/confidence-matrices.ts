/**
 * The two sparse views ALS alternates over: member × item (CSR) and item × member (its transpose),
 * each entry holding the confidence c = 1 + alpha · weight.
 */
import type { InteractionData } from '../dataset.ts';
import { buildCsr, transposeCsr, type Csr } from '../common/csr.ts';

export interface ConfidenceMatrices {
  nUsers: number;
  nItems: number;
  /** rows = members, columns = items, values = confidence */
  byUser: Csr;
  /** rows = items, columns = members, values = confidence */
  byItem: Csr;
}

/**
 * Builds both views. Repeated (member, item) pairs keep their largest weight (as the shared fold-in
 * resolution does, and as EVALUATION.md counts a repeated pair once); entries of weight ≤ 0 are dropped
 * (implicit ALS has no notion of a negative preference here).
 */
export function buildConfidenceMatrices(data: InteractionData, alpha: number): ConfidenceMatrices {
  const { weights } = data;
  // the filter costs a pass with a boxed list in buildCsr: only pay it when there is something to drop
  const keep = weights.some((w) => !(w > 0)) ? (k: number) => weights[k] > 0 : undefined;
  const byUser = buildCsr(data.userIds.length, data.itemIds.length, data.users, data.items, weights, 'max', keep);
  toConfidence(byUser.values, alpha);
  const byItem = transposeCsr(byUser);
  return { nUsers: byUser.nRows, nItems: byUser.nCols, byUser, byItem };
}

/** Confidence from weights, in place. */
export function toConfidence(values: Float32Array, alpha: number): void {
  for (let j = 0; j < values.length; j++) values[j] = 1 + alpha * values[j];
}
