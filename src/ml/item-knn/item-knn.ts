/**
 * Trainer `item-knn` (EVALUATION.md): cosine on the (binary) member × item matrix, each item keeping its
 * k most similar items; score(u, j) = Σ cos(i, j) over the member's items i among j's k neighbours.
 */
import { loadArtifact, payloadOf, stringsOf, type ArtifactLoadOptions, type LoadedArtifact, type Payloads } from '../artifact.ts';
import { transposeCsr, type Csr } from '../common/csr.ts';
import { indexFilter, ItemScoringModel } from '../common/item-scoring-model.ts';
import { CEILING, intIn, nonNegative, resolveParams } from '../common/params.ts';
import { assertInteractions, throwIfAborted, trainingManifest } from '../common/train-input.ts';
import { UserHistory } from '../common/user-history.ts';
import { VitrineError } from '../../core/errors.ts';
import type { ArtifactManifest, Model, RecommendOptions, ScoredItem, Trainer, TrainContext, TrainInput, UserQuery } from '../model.ts';
import { itemNeighbours } from './neighbours.ts';

export type ItemKnnParams = {
  /** neighbours kept per item */
  k: number;
  shrinkage: number;
  /** cosine on 0/1 (true) or on summed interaction weights */
  binary: boolean;
};

const FORMAT_VERSION = 1;
const DEFAULTS: ItemKnnParams = { k: 100, shrinkage: 0, binary: true };
const RULES = { k: intIn(1, CEILING.neighbours), shrinkage: nonNegative };

/** Defaults merged with `given`, each value checked against its rule. */
const resolveOwnParams = (given?: Partial<ItemKnnParams>): ItemKnnParams => resolveParams('item-knn', DEFAULTS, given, RULES);

export class ItemKnnModel extends ItemScoringModel {
  /** row i: the items j that have i among their neighbours, with cos(i, j) */
  private readonly reverse: Csr;

  constructor(manifest: ArtifactManifest, itemIds: readonly string[], private readonly history: UserHistory, private readonly neighbours: Csr) {
    super('item-knn', manifest, itemIds);
    this.reverse = transposeCsr(neighbours);
  }

  /** Rebuilds a saved model. */
  static fromArtifact(loaded: LoadedArtifact): ItemKnnModel {
    const itemIds = stringsOf(loaded, 'itemIds');
    const n = itemIds.length;
    const indptr = payloadOf(loaded, 'neighbourIndptr', Int32Array, n + 1);
    const indices = payloadOf(loaded, 'neighbourItems', Int32Array, indptr[n]);
    const values = payloadOf(loaded, 'neighbourSims', Float32Array, indptr[n]);
    if (indices.some((i) => i < 0 || i >= n)) throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', 'item-knn: neighbour index out of range');
    return new ItemKnnModel(loaded.manifest, itemIds, UserHistory.fromPayloads(loaded, n), { nRows: n, nCols: n, indptr, indices, values });
  }

  knowsUser(user: UserQuery): boolean {
    return this.history.knows(user, this.itemIndex);
  }

  protected userScores(user: UserQuery): Float32Array {
    const { items, weights } = this.history.resolve(this.algorithm, user, this.itemIndex);
    const binary = this.manifest.params.binary !== false;
    const scores = new Float32Array(this.itemIds.length);
    const { indptr, indices, values } = this.reverse;
    for (let t = 0; t < items.length; t++) {
      const i = items[t];
      const w = binary ? 1 : weights[t];
      for (let k = indptr[i]; k < indptr[i + 1]; k++) scores[indices[k]] += w * values[k];
    }
    return scores;
  }

  /**
   * An item's list is its stored neighbours (every other item scores NaN), so only they are ranked —
   * the same answer as a scan of the whole catalogue (best first, ties to the lower index).
   */
  override similar(itemId: string, n: number, opts: RecommendOptions = {}): ScoredItem[] {
    const item = this.indexOfItem(itemId);
    this.checkN(n);
    const { indptr, indices, values } = this.neighbours;
    const order: number[] = [];
    for (let k = indptr[item]; k < indptr[item + 1]; k++) if (values[k] > -Infinity && indices[k] !== item) order.push(k);
    order.sort((a, b) => values[b] - values[a] || indices[a] - indices[b]);
    const ids = this.itemIds;
    const accept = indexFilter(opts, ids);
    const out: ScoredItem[] = [];
    for (const k of order) {
      if (out.length >= n) break;
      const id = ids[indices[k]];
      if (opts.exclude?.has(id) || (accept && !accept(indices[k]))) continue;
      out.push({ itemId: id, score: values[k] });
    }
    return out;
  }

  protected itemScores(item: number): Float32Array {
    const scores = new Float32Array(this.itemIds.length).fill(NaN);
    const { indptr, indices, values } = this.neighbours;
    for (let k = indptr[item]; k < indptr[item + 1]; k++) scores[indices[k]] = values[k];
    return scores;
  }

  protected payloads(): Payloads {
    return {
      ...this.history.toPayloads(),
      neighbourIndptr: this.neighbours.indptr,
      neighbourItems: this.neighbours.indices,
      neighbourSims: this.neighbours.values,
    };
  }
}

export const itemKnnTrainer: Trainer<ItemKnnParams> = {
  algorithm: 'item-knn',
  defaults: DEFAULTS,
  resolveParams: resolveOwnParams,
  async train(input: TrainInput, params?: Partial<ItemKnnParams>, ctx: TrainContext = {}): Promise<Model> {
    const p = resolveOwnParams(params);
    const data = input.interactions;
    assertInteractions('item-knn', data);
    const history = UserHistory.fromInteractions(data, p.binary ? 'binary' : 'sum');
    const neighbours = itemNeighbours(history.rows, {
      k: p.k,
      shrinkage: p.shrinkage,
      onItems: (done, total) => {
        throwIfAborted('item-knn', ctx.signal);
        ctx.onProgress?.(done / total, 'neighbours');
      },
    });
    ctx.onProgress?.(1, 'neighbours');
    return new ItemKnnModel(trainingManifest('item-knn', FORMAT_VERSION, p, data), data.itemIds, history, neighbours);
  },
  async load(dir: string, opts?: ArtifactLoadOptions): Promise<Model> {
    return ItemKnnModel.fromArtifact(await loadArtifact(dir, 'item-knn', FORMAT_VERSION, opts));
  },
};
