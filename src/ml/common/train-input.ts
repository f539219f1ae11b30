/**
 * Checks every trainer runs first, so that bad input becomes a typed error with a clear message
 * instead of a crash deep in a loop or a silently wrong model.
 */
import { VitrineError } from '../../core/errors.ts';
import type { InteractionData } from '../dataset.ts';
import type { ArtifactManifest } from '../model.ts';

/**
 * Refuses empty data (VITRINE_MODEL_EMPTY_DATA) and inconsistent arrays, out-of-range indexes or
 * non-finite timestamps/weights (VITRINE_MODEL_BAD_DATA).
 */
export function assertInteractions(algorithm: string, data: InteractionData, opts: { allowEmpty?: boolean } = {}): void {
  const nnz = data.users.length;
  if (data.itemIds.length === 0 || (nnz === 0 && !opts.allowEmpty)) {
    throw new VitrineError('VITRINE_MODEL_EMPTY_DATA', `${algorithm}: no interactions to train on`);
  }
  for (const [name, arr] of [['items', data.items], ['ts', data.ts], ['weights', data.weights]] as const) {
    if (arr.length !== nnz) {
      throw new VitrineError('VITRINE_MODEL_BAD_DATA', `${algorithm}: ${name} has ${arr.length} entries, users has ${nnz}`);
    }
  }
  const nUsers = data.userIds.length;
  const nItems = data.itemIds.length;
  for (let k = 0; k < nnz; k++) {
    const u = data.users[k];
    const i = data.items[k];
    if (!(u >= 0 && u < nUsers) || !(i >= 0 && i < nItems)) {
      throw new VitrineError('VITRINE_MODEL_BAD_DATA', `${algorithm}: interaction ${k} has user ${u} / item ${i} out of range`);
    }
    if (!Number.isFinite(data.ts[k]) || !Number.isFinite(data.weights[k])) {
      throw new VitrineError('VITRINE_MODEL_BAD_DATA', `${algorithm}: interaction ${k} has a non-finite ts or weight`);
    }
  }
}

/** Earliest and latest interaction time (undefined when there is none). */
export function dataRange(data: InteractionData): { dataFrom?: number; dataTo?: number } {
  if (data.ts.length === 0) return {};
  let from = Infinity;
  let to = -Infinity;
  for (let k = 0; k < data.ts.length; k++) {
    const t = data.ts[k];
    if (t < from) from = t;
    if (t > to) to = t;
  }
  return { dataFrom: from, dataTo: to };
}

/** Throws VITRINE_MODEL_ABORTED when the training job was cancelled. */
export function throwIfAborted(algorithm: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new VitrineError('VITRINE_MODEL_ABORTED', `${algorithm}: training was aborted`);
}

/** The manifest of a freshly trained model (payload checksums are filled in by `save`). */
export function trainingManifest(
  algorithm: string,
  formatVersion: number,
  params: Record<string, unknown>,
  data: InteractionData,
  extra?: Record<string, unknown>,
): ArtifactManifest {
  return {
    algorithm,
    formatVersion,
    params,
    createdAt: Date.now(),
    ...dataRange(data),
    nUsers: data.userIds.length,
    nItems: data.itemIds.length,
    nInteractions: data.users.length,
    payloads: {},
    ...(extra ? { extra } : {}),
  };
}
