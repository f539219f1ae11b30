/**
 * The shared half of every model that scores the whole catalogue for a member: recommend, similar and
 * score over a dense score vector, exclusion and filters, unknown-id errors and saving. A subclass says
 * only how it scores a member and an item, and which payloads it saves.
 */
import { VitrineError } from '../../core/errors.ts';
import { saveArtifact, type Payloads } from '../artifact.ts';
import type { ArtifactManifest, Model, RecommendOptions, ScoredItem, UserQuery } from '../model.ts';
import { indexOf } from '../id-lists.ts';
import { topN } from './top-n.ts';

export abstract class ItemScoringModel implements Model {
  manifest: ArtifactManifest;
  protected itemIds: readonly string[];
  protected itemIndex: ReadonlyMap<string, number>;

  /** `itemIndex`: the list's shared index (id-lists.ts) unless the model keeps its own */
  constructor(readonly algorithm: string, manifest: ArtifactManifest, itemIds: readonly string[], itemIndex = indexOf(itemIds)) {
    this.manifest = manifest;
    this.itemIds = itemIds;
    this.itemIndex = itemIndex;
  }

  /**
   * One score per item index for the member, asked at `asOf` (epoch ms; undefined = the training
   * clock); NaN or −Infinity marks an item never to recommend. Models without time features ignore asOf.
   */
  protected abstract userScores(user: UserQuery, asOf?: number): Float32Array;
  /** One score per item index for its likeness to item `item`. */
  protected abstract itemScores(item: number): Float32Array;
  /** The model's own payloads; `itemIds` is added by `save`. */
  protected abstract payloads(): Payloads;

  /** The catalogue the model ranks, by index. */
  get items(): readonly string[] {
    return this.itemIds;
  }

  recommend(user: UserQuery, n: number, opts: RecommendOptions = {}): ScoredItem[] {
    return this.rank(this.userScores(user, opts.asOf), n, opts);
  }

  similar(itemId: string, n: number, opts: RecommendOptions = {}): ScoredItem[] {
    const item = this.indexOfItem(itemId);
    return this.rank(this.itemScores(item), n, opts, item);
  }

  score(user: UserQuery, itemIds: readonly string[], opts: { asOf?: number } = {}): Float32Array {
    const scores = this.userScores(user, opts.asOf);
    return Float32Array.from(itemIds, (id) => {
      const i = this.itemIndex.get(id);
      return i === undefined ? NaN : scores[i];
    });
  }

  knowsItem(itemId: string): boolean {
    return this.itemIndex.has(itemId);
  }

  async save(dir: string): Promise<void> {
    const { payloads: _old, ...draft } = this.manifest;
    this.manifest = await saveArtifact(dir, draft, { itemIds: this.itemIds, ...this.payloads() });
  }

  /** Index of a known item; VITRINE_MODEL_UNKNOWN_ITEM otherwise. */
  protected indexOfItem(itemId: string): number {
    const i = this.itemIndex.get(itemId);
    if (i === undefined) throw new VitrineError('VITRINE_MODEL_UNKNOWN_ITEM', `${this.algorithm}: item "${itemId}" is not in the model`);
    return i;
  }

  /** The best `n` items of `scores` that pass `opts` (and are not `self`). */
  protected rank(scores: Float32Array, n: number, opts: RecommendOptions, self = -1): ScoredItem[] {
    this.checkN(n);
    const excluded = this.excludedMask(opts, self);
    const ids = this.itemIds;
    const picked = topN(scores, n, excluded, indexFilter(opts, ids));
    return Array.from(picked, (i) => ({ itemId: ids[i], score: scores[i] }));
  }

  /** `n` must be a non-negative integer (every ranking path checks it the same way). */
  protected checkN(n: number): void {
    if (!Number.isInteger(n) || n < 0) {
      throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', `${this.algorithm}: n must be a non-negative integer, got ${n}`);
    }
  }

  /** excluded[i] = 1 for `opts.exclude` and `self`; undefined when nothing is excluded. */
  protected excludedMask(opts: RecommendOptions, self = -1): Uint8Array | undefined {
    if (self < 0 && !(opts.exclude && opts.exclude.size > 0)) return undefined;
    const excluded = new Uint8Array(this.itemIds.length);
    if (self >= 0) excluded[self] = 1;
    for (const id of opts.exclude ?? []) {
      const i = this.itemIndex.get(id);
      if (i !== undefined) excluded[i] = 1;
    }
    return excluded;
  }
}

/** The request's filter over indexes into `ids`: the caller's own index form when given, else by id. */
export function indexFilter(opts: RecommendOptions, ids: readonly string[]): ((index: number) => boolean) | undefined {
  if (opts.filterIndex) return opts.filterIndex(ids);
  const filter = opts.filter;
  return filter ? (i) => filter(ids[i]) : undefined;
}
