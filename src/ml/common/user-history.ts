/**
 * What item-based models know about members: each training member's items (a CSR row), and the
 * resolution of a `UserQuery` — a known id or a live interaction list — into item indexes.
 */
import { VitrineError } from '../../core/errors.ts';
import { payloadOf, stringsOf, type LoadedArtifact, type Payloads } from '../artifact.ts';
import type { InteractionData } from '../dataset.ts';
import type { UserQuery } from '../model.ts';
import { indexOf } from '../id-lists.ts';
import { buildCsr, type Csr, type DuplicateRule } from './csr.ts';

/** A member's items as parallel arrays (item index, weight). */
export interface ResolvedHistory {
  items: Int32Array;
  weights: Float32Array;
}

export class UserHistory {
  constructor(readonly userIds: readonly string[], readonly rows: Csr) {}

  /** The user × item matrix of the training data, duplicates merged by `rule`. */
  static fromInteractions(data: InteractionData, rule: DuplicateRule): UserHistory {
    const rows = buildCsr(data.userIds.length, data.itemIds.length, data.users, data.items, data.weights, rule);
    return new UserHistory(data.userIds, rows);
  }

  /** Rebuilds the history saved by `toPayloads`. */
  static fromPayloads(loaded: LoadedArtifact, nItems: number): UserHistory {
    const userIds = stringsOf(loaded, 'userIds');
    const indptr = payloadOf(loaded, 'userIndptr', Int32Array, userIds.length + 1);
    const indices = payloadOf(loaded, 'userItems', Int32Array);
    const values = payloadOf(loaded, 'userWeights', Float32Array, indices.length);
    if (indptr[userIds.length] !== indices.length || indices.some((i) => i < 0 || i >= nItems)) {
      throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', 'user history payloads are inconsistent');
    }
    return new UserHistory(userIds, { nRows: userIds.length, nCols: nItems, indptr, indices, values });
  }

  /** The payloads that `fromPayloads` reads back. */
  toPayloads(): Payloads {
    return { userIds: this.userIds, userIndptr: this.rows.indptr, userItems: this.rows.indices, userWeights: this.rows.values };
  }

  /** Row of a known member, or undefined. */
  rowOf(userId: string): number | undefined {
    return indexOf(this.userIds).get(userId);
  }

  /** False exactly when `resolve` would throw VITRINE_MODEL_UNKNOWN_USER for `query` (Model.knowsUser). */
  knows(query: UserQuery, itemIndex: ReadonlyMap<string, number>): boolean {
    if ('userId' in query) return this.rowOf(query.userId) !== undefined;
    if ('interactions' in query) return knowsAnyItem(query.interactions, itemIndex);
    return true;
  }

  /** The member's items (VITRINE_MODEL_UNKNOWN_USER for an unknown id or a list with no known item). */
  resolve(algorithm: string, query: UserQuery, itemIndex: ReadonlyMap<string, number>): ResolvedHistory {
    if ('userId' in query) {
      const r = this.rowOf(query.userId);
      if (r === undefined) {
        throw new VitrineError('VITRINE_MODEL_UNKNOWN_USER', `${algorithm}: member "${query.userId}" is not in the training data`);
      }
      const { indptr, indices, values } = this.rows;
      return { items: indices.subarray(indptr[r], indptr[r + 1]), weights: values.subarray(indptr[r], indptr[r + 1]) };
    }
    if ('interactions' in query) return resolveInteractions(algorithm, query.interactions, itemIndex);
    throw new VitrineError('VITRINE_MODEL_BAD_PARAMS',
      `${algorithm} scores from a member's items; a vector query needs a factor model (pass userId or interactions)`);
  }
}

/** True when some interaction is with an item of `itemIndex` (else resolving the list throws UNKNOWN_USER). */
export function knowsAnyItem(interactions: ReadonlyArray<{ itemId: string }>, itemIndex: ReadonlyMap<string, number>): boolean {
  for (const it of interactions) if (itemIndex.has(it.itemId)) return true;
  return false;
}

/**
 * Item indexes of a live interaction list: items the model never saw (added since training) are
 * skipped; repeated items keep their largest weight. Throws when no item is known.
 */
export function resolveInteractions(
  algorithm: string,
  interactions: ReadonlyArray<{ itemId: string; weight?: number }>,
  itemIndex: ReadonlyMap<string, number>,
): ResolvedHistory {
  const merged = new Map<number, number>();
  for (const it of interactions) {
    const i = itemIndex.get(it.itemId);
    if (i === undefined) continue;
    const w = it.weight ?? 1;
    if (!Number.isFinite(w)) throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', `${algorithm}: weight of "${it.itemId}" is not finite`);
    const prev = merged.get(i);
    if (prev === undefined || w > prev) merged.set(i, w);
  }
  if (merged.size === 0) {
    throw new VitrineError('VITRINE_MODEL_UNKNOWN_USER',
      `${algorithm}: none of the member's ${interactions.length} interactions is with an item the model knows`);
  }
  const items = Int32Array.from(merged.keys());
  items.sort();
  return { items, weights: Float32Array.from(items, (i) => merged.get(i) ?? 0) };
}
