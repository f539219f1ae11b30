/**
 * A model whose item scores do not depend on the member: popularity (overall and per segment) and
 * smoothed conversion. `recommend` ignores who asks, so it never fails for an unknown member: it is
 * the fallback of last resort before a static list.
 */
import type { LoadedArtifact, Payloads } from '../artifact.ts';
import { payloadOf, stringsOf } from '../artifact.ts';
import { ItemScoringModel } from '../common/item-scoring-model.ts';
import type { ArtifactManifest, RecommendOptions, ScoredItem, UserQuery } from '../model.ts';

export const POPULARITY_FORMAT_VERSION = 1;

export class PopularityModel extends ItemScoringModel {
  constructor(
    algorithm: string,
    manifest: ArtifactManifest,
    itemIds: string[],
    private readonly scores: Float32Array,
    /** nSegments × nItems, row-major */
    private readonly bySegmentScores: Float32Array = new Float32Array(0),
    private readonly segmentLabels: string[] = [],
    private readonly extraPayloads: Payloads = {},
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
    const scores = this.segmentScores(segment);
    return scores ? this.rank(scores, n, opts) : [];
  }

  protected userScores(_user: UserQuery): Float32Array {
    return this.scores;
  }

  protected itemScores(_item: number): Float32Array {
    return this.scores;
  }

  protected payloads(): Payloads {
    return { scores: this.scores, segmentScores: this.bySegmentScores, segmentLabels: this.segmentLabels, ...this.extraPayloads };
  }
}
