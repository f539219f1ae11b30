/**
 * Trainer `ease` (Steck, "Embarrassingly Shallow Autoencoders", WWW 2019): the closed form
 *   P = (XᵀX + λI)⁻¹,  B = I − P·diagMat(1/diag(P))  (so B_ij = −P_ij / P_jj and B_jj = 0)
 * on the binary member × item matrix; a member's scores are x_u·B. Dense in items: memory grows as
 * nItems², so a budget refuses catalogues it cannot hold (VITRINE_MODEL_TOO_LARGE).
 */
import { availableParallelism } from 'node:os';
import { VitrineError } from '../../core/errors.ts';
import { loadArtifact, payloadOf, stringsOf, type ArtifactLoadOptions, type LoadedArtifact, type Payloads } from '../artifact.ts';
import type { Csr } from '../common/csr.ts';
import { ItemScoringModel } from '../common/item-scoring-model.ts';
import { CEILING, intIn, positive, resolveParams } from '../common/params.ts';
import { assertInteractions, throwIfAborted, trainingManifest } from '../common/train-input.ts';
import { UserHistory } from '../common/user-history.ts';
import type { ArtifactManifest, Model, Trainer, TrainContext, TrainInput, UserQuery } from '../model.ts';
import { invertSpdInPlace, sharedMatrix } from './spd-inverse.ts';

export type EaseParams = {
  lambda: number;
  /** refuse when nItems² × 8 bytes × 3 (Gram matrix, inverse work, weights) exceeds this */
  memoryBudgetGB: number;
  /** worker threads for the inverse; 0 = up to 2 when the catalogue is large enough to pay for them */
  threads: number;
  blockSize: number;
};

const FORMAT_VERSION = 1;
const DEFAULTS: EaseParams = { lambda: 500, memoryBudgetGB: 4, threads: 0, blockSize: 64 };
const RULES = { lambda: positive(), memoryBudgetGB: positive(), threads: intIn(0, CEILING.threads), blockSize: intIn(1, 4096) };

/** Defaults merged with `given`, each value checked against its rule. */
const resolveOwnParams = (given?: Partial<EaseParams>): EaseParams => resolveParams('ease', DEFAULTS, given, RULES);
// below this many items, starting workers (~0.5 s under tsx) costs more than it saves
const MIN_ITEMS_FOR_WORKERS = 1500;

export class EaseModel extends ItemScoringModel {
  constructor(manifest: ArtifactManifest, itemIds: readonly string[], private readonly history: UserHistory, private readonly weights: Float32Array) {
    super('ease', manifest, itemIds);
  }

  /** Rebuilds a saved model. */
  static fromArtifact(loaded: LoadedArtifact): EaseModel {
    const itemIds = stringsOf(loaded, 'itemIds');
    const n = itemIds.length;
    return new EaseModel(loaded.manifest, itemIds, UserHistory.fromPayloads(loaded, n), payloadOf(loaded, 'weights', Float32Array, n * n));
  }

  /** B_ij: how much having item i adds to item j (diagonal 0), as a copy of row i. */
  weightRow(itemId: string): Float32Array {
    const i = this.indexOfItem(itemId);
    const n = this.itemIds.length;
    return this.weights.slice(i * n, (i + 1) * n);
  }

  knowsUser(user: UserQuery): boolean {
    return this.history.knows(user, this.itemIndex);
  }

  protected userScores(user: UserQuery): Float32Array {
    const { items } = this.history.resolve(this.algorithm, user, this.itemIndex);
    const n = this.itemIds.length;
    const scores = new Float32Array(n);
    for (const i of items) {
      const row = i * n;
      for (let j = 0; j < n; j++) scores[j] += this.weights[row + j];
    }
    return scores;
  }

  protected itemScores(item: number): Float32Array {
    const n = this.itemIds.length;
    return this.weights.subarray(item * n, (item + 1) * n);
  }

  protected payloads(): Payloads {
    return { ...this.history.toPayloads(), weights: this.weights };
  }
}

/** Lower triangle of XᵀX + λI for the binary matrix `rows` (member × item), in a shared n × n matrix. */
export function gramPlusRidge(rows: Csr, lambda: number): Float64Array {
  const n = rows.nCols;
  const g = sharedMatrix(n);
  const { indptr, indices } = rows;
  for (let u = 0; u < rows.nRows; u++) {
    for (let s = indptr[u]; s < indptr[u + 1]; s++) {
      const row = indices[s] * n;
      // indices ascend within a row, so indices[t] ≤ indices[s] for t ≤ s
      for (let t = indptr[u]; t <= s; t++) g[row + indices[t]] += 1;
    }
  }
  for (let i = 0; i < n; i++) g[i * n + i] += lambda;
  return g;
}

/** B = I − P·diagMat(1/diag(P)) as float32, with an exact zero diagonal. */
export function easeWeights(p: Float64Array, n: number): Float32Array {
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) b[row + j] = i === j ? 0 : -p[row + j] / p[j * n + j];
  }
  return b;
}

export const easeTrainer: Trainer<EaseParams> = {
  algorithm: 'ease',
  defaults: DEFAULTS,
  resolveParams: resolveOwnParams,
  async train(input: TrainInput, params?: Partial<EaseParams>, ctx: TrainContext = {}): Promise<Model> {
    const p = resolveOwnParams(params);
    const data = input.interactions;
    assertInteractions('ease', data);
    const n = data.itemIds.length;
    const needGB = (n * n * 8 * 3) / 2 ** 30;
    if (needGB > p.memoryBudgetGB) {
      throw new VitrineError('VITRINE_MODEL_TOO_LARGE',
        `ease: ${n} items need about ${needGB.toFixed(1)} GB (nItems² × 24 bytes), over the ${p.memoryBudgetGB} GB budget; use item-knn or als`);
    }
    const history = UserHistory.fromInteractions(data, 'binary');
    const gram = gramPlusRidge(history.rows, p.lambda);
    throwIfAborted('ease', ctx.signal);
    const threads = p.threads > 0 ? Math.floor(p.threads) : n >= MIN_ITEMS_FOR_WORKERS ? Math.min(2, availableParallelism()) : 1;
    const ok = await invertSpdInPlace(gram, n, {
      blockSize: p.blockSize,
      threads,
      onStep: (fraction) => {
        throwIfAborted('ease', ctx.signal);
        ctx.onProgress?.(fraction, 'inverse');
      },
    });
    // XᵀX + λI with λ > 0 is positive definite; failing means NaN/Infinity crept in
    if (!ok) throw new VitrineError('VITRINE_MODEL_BAD_DATA', 'ease: XᵀX + λI is not positive definite (non-finite values?)');
    const weights = easeWeights(gram, n);
    ctx.onProgress?.(1, 'weights');
    return new EaseModel(trainingManifest('ease', FORMAT_VERSION, p, data, { threads }), data.itemIds, history, weights);
  },
  async load(dir: string, opts?: ArtifactLoadOptions): Promise<Model> {
    return EaseModel.fromArtifact(await loadArtifact(dir, 'ease', FORMAT_VERSION, opts));
  },
};
