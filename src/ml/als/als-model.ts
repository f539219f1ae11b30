/**
 * A trained implicit-ALS model: member and item factors. A member's scores are item factors · their
 * vector (a trained member's row, a given vector, or a fold-in of live interactions); item-to-item
 * likeness is the cosine of item factors. Like every model here, it excludes only what the caller
 * passes in `exclude` (a member's own items included), so serving and evaluation decide.
 */
import { VitrineError } from '../../core/errors.ts';
import { payloadOf, stringsOf, type LoadedArtifact, type Payloads } from '../artifact.ts';
import { indexOf } from '../id-lists.ts';
import { indexFilter, ItemScoringModel } from '../common/item-scoring-model.ts';
import { knowsAnyItem, resolveInteractions } from '../common/user-history.ts';
import { calibrateProbes, IvfIndex, type RecallReport } from '../ann/index.ts';
import type { ArtifactManifest, ModelAbilities, RecommendOptions, ScoredItem, UserQuery } from '../model.ts';
import { FoldInSolver, type FoldInResult } from './fold-in.ts';

export const ALS_FORMAT_VERSION = 1;

export interface AlsAnnOptions {
  /** recall@k vs exact the probes are calibrated to, on trained members' vectors */
  targetRecall: number;
  k?: number;
  /** coarse lists (default ≈ 1.5√items, ivf-index.ts) */
  lists?: number;
  seed?: number;
  /** members whose vectors calibrate the probes (evenly spaced) */
  calibrationQueries?: number;
}

export interface AlsAnnReport extends RecallReport {
  lists: number;
  buildMs: number;
}

type Interactions = ReadonlyArray<{ itemId: string; weight?: number }>;

export class AlsModel extends ItemScoringModel {
  readonly k: number;
  private itemNorms: Float32Array | undefined;
  private readonly folder: FoldInSolver;
  private ann: IvfIndex | undefined;
  /** an ANN index can be attached for serving (ADR 0005) */
  readonly abilities: ModelAbilities = { ann: this };

  constructor(
    manifest: ArtifactManifest,
    itemIds: readonly string[],
    readonly userIds: readonly string[],
    readonly userFactors: Float32Array,
    readonly itemFactors: Float32Array,
  ) {
    super('als', manifest, itemIds);
    const { factors, regularization, alpha } = manifest.params;
    if (typeof factors !== 'number' || typeof regularization !== 'number' || typeof alpha !== 'number') {
      throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', 'als: manifest params lack factors, regularization or alpha');
    }
    if (userFactors.length !== userIds.length * factors || itemFactors.length !== itemIds.length * factors) {
      throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', 'als: factor payloads do not match the id lists');
    }
    this.k = factors;
    this.folder = new FoldInSolver(itemFactors, factors, regularization, alpha);
  }

  /** Computes the fold-in Gram now (Model.prepareForServing): the first page folding a member in does not. */
  prepareForServing(): void {
    this.folder.prepare();
  }

  /** whether the fold-in Gram is computed (tests) */
  get foldInPrepared(): boolean {
    return this.folder.prepared;
  }

  /** Rebuilds a saved model. */
  static fromArtifact(loaded: LoadedArtifact): AlsModel {
    return new AlsModel(
      loaded.manifest,
      stringsOf(loaded, 'itemIds'),
      stringsOf(loaded, 'userIds'),
      payloadOf(loaded, 'userFactors', Float32Array),
      payloadOf(loaded, 'itemFactors', Float32Array),
    );
  }

  /**
   * Builds an IVF index over the item factors (ADR 0005) and calibrates its probes so recall@k against
   * exact scoring reaches the target on trained members' vectors; from then on `recommend` with
   * `approximate: true` answers from it. Built at load time, not saved: it is a function of the
   * factors and a seed, and ~1 s at 20k items.
   */
  attachAnnIndex(opts: AlsAnnOptions): AlsAnnReport {
    const began = performance.now();
    const n = this.itemIds.length;
    const index = IvfIndex.build(this.itemFactors, n, this.k, { metric: 'inner-product', lists: opts.lists, seed: opts.seed ?? 1 });
    const users = this.userIds.length;
    const m = Math.min(users, opts.calibrationQueries ?? 200);
    const queries = new Float32Array(m * this.k);
    for (let j = 0; j < m; j++) {
      const u = Math.floor((j * users) / m);
      queries.set(this.userFactors.subarray(u * this.k, (u + 1) * this.k), j * this.k);
    }
    const report = calibrateProbes(index, this.itemFactors, queries, opts.k ?? 20, opts.targetRecall);
    this.ann = index;
    return { ...report, lists: index.lists, buildMs: Math.round(performance.now() - began) };
  }

  /** The attached ANN index, if any (benchmarks measure its recall). */
  get annIndex(): IvfIndex | undefined {
    return this.ann;
  }

  override recommend(user: UserQuery, n: number, opts: RecommendOptions = {}): ScoredItem[] {
    const ann = this.ann;
    if (!opts.approximate || !ann) return super.recommend(user, n, opts);
    this.checkN(n);
    const ids = this.itemIds;
    const accept = indexFilter(opts, ids);
    const hits = ann.search(this.userVector(user), n, { excluded: this.excludedMask(opts), ...(accept ? { accept } : {}) });
    return Array.from(hits.indexes, (i, r) => ({ itemId: ids[i], score: hits.scores[r] }));
  }

  /**
   * Only the asked items' dot products (a page re-ranks a few dozen candidates, not the catalogue).
   * The indexes first, then the dots: a page's candidates are scattered over the catalogue, and two
   * plain loops let the CPU overlap each pass's cache misses instead of waiting on a lookup, then its
   * row, item by item (~30% less CPU with cold caches, 120 items, bench/results/serve-fresh-cpu.md).
   */
  override score(user: UserQuery, itemIds: readonly string[]): Float32Array {
    const x = this.userVector(user);
    const n = itemIds.length;
    const at = new Int32Array(n);
    for (let k = 0; k < n; k++) at[k] = this.itemIndex.get(itemIds[k]) ?? -1;
    // a plain loop: Float32Array.from with a map function took twice as long (the iterator protocol)
    const scores = new Float32Array(n);
    for (let k = 0; k < n; k++) scores[k] = at[k] < 0 ? NaN : this.dotItem(at[k], x);
    return scores;
  }

  /** A member's vector from their interactions (unknown items ignored; none known → a zero vector). */
  foldIn(interactions: Interactions): Float32Array {
    return this.foldInWithReport(interactions).vector;
  }

  /** `foldIn`, also saying how many interactions were ignored because the model never saw their item. */
  foldInWithReport(interactions: Interactions): FoldInResult {
    let unknownItems = 0;
    for (const it of interactions) if (!this.itemIndex.has(it.itemId)) unknownItems++;
    if (unknownItems === interactions.length) return { vector: new Float32Array(this.k), unknownItems, usedItems: 0 };
    const { items, weights } = resolveInteractions(this.algorithm, interactions, this.itemIndex);
    return { vector: this.folder.solve(items, weights), unknownItems, usedItems: items.length };
  }

  /** False exactly when `userVector` would throw VITRINE_MODEL_UNKNOWN_USER. */
  knowsUser(user: UserQuery): boolean {
    if ('userId' in user) return indexOf(this.userIds).has(user.userId);
    if ('interactions' in user) return knowsAnyItem(user.interactions, this.itemIndex);
    return true;
  }

  /** The vector `user` is scored with (a copy-free view for a trained member). */
  userVector(user: UserQuery): Float32Array {
    if ('userId' in user) {
      const u = indexOf(this.userIds).get(user.userId);
      if (u === undefined) {
        throw new VitrineError('VITRINE_MODEL_UNKNOWN_USER', `als: member "${user.userId}" is not in the training data`);
      }
      return this.userFactors.subarray(u * this.k, (u + 1) * this.k);
    }
    if ('vector' in user) {
      if (user.vector.length !== this.k || !user.vector.every(Number.isFinite)) {
        throw new VitrineError('VITRINE_MODEL_BAD_EMBEDDING', `als: a member vector must be ${this.k} finite numbers`);
      }
      return user.vector;
    }
    const { vector, usedItems } = this.foldInWithReport(user.interactions);
    if (usedItems === 0) {
      throw new VitrineError('VITRINE_MODEL_UNKNOWN_USER',
        `als: none of the member's ${user.interactions.length} interactions is with an item the model knows`);
    }
    return vector;
  }

  protected userScores(user: UserQuery): Float32Array {
    return this.scoresFor(this.userVector(user));
  }

  protected itemScores(item: number): Float32Array {
    const { k } = this;
    const norms = (this.itemNorms ??= this.computeItemNorms());
    const scores = this.scoresFor(this.itemFactors.subarray(item * k, (item + 1) * k));
    const self = norms[item];
    for (let i = 0; i < scores.length; i++) {
      const d = self * norms[i];
      scores[i] = d > 0 ? scores[i] / d : 0;
    }
    return scores;
  }

  protected payloads(): Payloads {
    return { userIds: this.userIds, userFactors: this.userFactors, itemFactors: this.itemFactors };
  }

  /** itemFactors · x for every item. */
  private scoresFor(x: Float32Array): Float32Array {
    const n = this.itemIds.length;
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) scores[i] = this.dotItem(i, x);
    return scores;
  }

  /** item i's factors · x (four accumulators: the same sum, bit for bit, wherever it is computed). */
  private dotItem(i: number, x: Float32Array): number {
    const { k, itemFactors: y } = this;
    const o = i * k;
    const k4 = k - (k % 4);
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let f = 0;
    for (; f < k4; f += 4) {
      s0 += y[o + f] * x[f];
      s1 += y[o + f + 1] * x[f + 1];
      s2 += y[o + f + 2] * x[f + 2];
      s3 += y[o + f + 3] * x[f + 3];
    }
    for (; f < k; f++) s0 += y[o + f] * x[f];
    return s0 + s1 + s2 + s3;
  }

  private computeItemNorms(): Float32Array {
    const { k, itemFactors: y } = this;
    return Float32Array.from({ length: this.itemIds.length }, (_, i) => {
      let s = 0;
      for (let f = 0; f < k; f++) s += y[i * k + f] * y[i * k + f];
      return Math.sqrt(s);
    });
  }
}
