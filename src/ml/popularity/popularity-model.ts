/**
 * A model whose item scores do not depend on the member: popularity (overall and per segment) and
 * smoothed conversion. `recommend` ignores who asks, so it never fails for an unknown member: it is
 * the fallback of last resort before a static list.
 */
import type { LoadedArtifact, Payloads } from '../artifact.ts';
import { payloadOf, stringsOf } from '../artifact.ts';
import { indexFilter, ItemScoringModel } from '../common/item-scoring-model.ts';
import type { ArtifactManifest, ModelAbilities, RecommendOptions, ScoredItem, UserQuery } from '../model.ts';
import type { PopularityParams } from './popularity-scores.ts';
import { PopularityTimeline } from './popularity-timeline.ts';

export const POPULARITY_FORMAT_VERSION = 1;

export class PopularityModel extends ItemScoringModel {
  /** item indexes by descending score, per list (-1: overall, g: segment g), sorted on first use */
  private readonly orders = new Map<number, Int32Array>();
  readonly abilities: ModelAbilities = { segments: this };
  constructor(
    algorithm: string,
    manifest: ArtifactManifest,
    itemIds: readonly string[],
    private readonly scores: Float32Array,
    /** nSegments × nItems, row-major */
    private readonly bySegmentScores: Float32Array = new Float32Array(0),
    private readonly segmentLabels: readonly string[] = [],
    private readonly extraPayloads: Payloads = {},
    /** the counted rows by item and time, to recount a window or decay at a query's asOf (popularity-timeline.ts) */
    private readonly timeline?: PopularityTimeline,
  ) {
    super(algorithm, manifest, itemIds);
  }

  /** Rebuilds a saved model (the artifact was already checked by `loadArtifact`). */
  static fromArtifact(loaded: LoadedArtifact, extraNames: string[] = []): PopularityModel {
    const itemIds = stringsOf(loaded, 'itemIds');
    const labels = stringsOf(loaded, 'segmentLabels');
    const extra: Payloads = {};
    for (const name of extraNames) extra[name] = payloadOf(loaded, name, Float32Array, itemIds.length);
    return new PopularityModel(
      loaded.manifest.algorithm,
      loaded.manifest,
      itemIds,
      payloadOf(loaded, 'scores', Float32Array, itemIds.length),
      payloadOf(loaded, 'segmentScores', Float32Array, labels.length * itemIds.length),
      labels,
      extra,
      PopularityTimeline.fromPayloads(loaded, itemIds.length),
    );
  }

  /** The segments with their own scores (sizes, occasions or categories), as labelled in training. */
  get segments(): readonly string[] {
    return this.segmentLabels;
  }

  /** Scores of every item (by index, aligned with `items`) within `segment`; undefined for an unknown segment. */
  segmentScores(segment: string): Float32Array | undefined {
    const g = this.segmentLabels.indexOf(segment);
    if (g < 0) return undefined;
    const n = this.itemIds.length;
    return this.bySegmentScores.subarray(g * n, (g + 1) * n);
  }

  /** The most popular items within `segment` (e.g. a size); empty when the segment was never seen. */
  bySegment(segment: string, n: number, opts: RecommendOptions = {}): ScoredItem[] {
    const g = this.segmentLabels.indexOf(segment);
    const scores = this.segmentScores(segment);
    return scores ? this.rankInOrder(scores, this.orderOf(g, scores), n, opts) : [];
  }

  /**
   * The scores never depend on the member, so each list's order is sorted once and a request walks it
   * until `n` items pass the filters — the same answer as a full top-N scan (ties to the lower index,
   * NaN and −Infinity never), at the cost of the items looked at instead of the whole catalogue.
   */
  protected override rank(scores: Float32Array, n: number, opts: RecommendOptions, self = -1): ScoredItem[] {
    return scores === this.scores ? this.rankInOrder(scores, this.orderOf(-1, scores), n, opts, self) : super.rank(scores, n, opts, self);
  }

  private orderOf(key: number, scores: Float32Array): Int32Array {
    let order = this.orders.get(key);
    if (!order) this.orders.set(key, (order = descendingOrder(scores)));
    return order;
  }

  private rankInOrder(scores: Float32Array, order: Int32Array, n: number, opts: RecommendOptions, self = -1): ScoredItem[] {
    this.checkN(n);
    const out: ScoredItem[] = [];
    const { exclude } = opts;
    const ids = this.itemIds;
    const filter = indexFilter(opts, ids);
    for (let r = 0; r < order.length && out.length < n; r++) {
      const i = order[r];
      const s = scores[i];
      if (!(s > -Infinity)) break; // NaN and −Infinity are sorted last: nothing recommendable follows
      if (i === self || (exclude !== undefined && exclude.has(ids[i])) || (filter !== undefined && !filter(i))) continue;
      out.push({ itemId: ids[i], score: s });
    }
    return out;
  }

  protected userScores(_user: UserQuery, asOf?: number): Float32Array {
    if (!this.timeline || asOf === undefined || asOf === this.manifest.extra?.end) return this.scores;
    return this.timeline.scoresAt(this.manifest.params as PopularityParams, asOf);
  }

  protected itemScores(_item: number): Float32Array {
    return this.scores;
  }

  protected payloads(): Payloads {
    return {
      scores: this.scores, segmentScores: this.bySegmentScores, segmentLabels: this.segmentLabels, ...this.extraPayloads,
      ...this.timeline?.toPayloads(),
    };
  }
}

/** Indexes by descending score, ties to the lower index; NaN and −Infinity last. */
function descendingOrder(scores: Float32Array): Int32Array {
  const key = (i: number) => (scores[i] > -Infinity ? scores[i] : -Infinity);
  return Int32Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => key(b) - key(a) || a - b);
}
