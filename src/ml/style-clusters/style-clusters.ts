/**
 * Trainer `style-clusters`: k-means over the content model's item vectors, each cluster named from its
 * dominant attributes, tags and category ("Black cocktail sheaths"). Serving builds `style` rows from
 * `matchUser` (which clusters suit a member) and `clusterItems` (a cluster's most typical items).
 * TODO(needs a serving use first): assign items added after training to their nearest centroid; until
 * then a new item joins a cluster at the next training (content.addItem already makes it recommendable).
 */
import { VitrineError } from '../../core/errors.ts';
import { loadArtifact, payloadOf, stringsOf, type ArtifactLoadOptions, type LoadedArtifact, type Payloads } from '../artifact.ts';
import { ItemScoringModel } from '../common/item-scoring-model.ts';
import { CEILING, intIn, nonNegative, resolveParams } from '../common/params.ts';
import { throwIfAborted } from '../common/train-input.ts';
import { ContentModel } from '../content/content-model.ts';
import { trainContentModel, type ContentParams } from '../content/content-trainer.ts';
import type { ArtifactManifest, ModelAbilities, Model, Trainer, TrainContext, TrainInput, UserQuery } from '../model.ts';
import { nameClusters } from './cluster-names.ts';
import { kMeans } from './kmeans.ts';

export type StyleClustersParams = ContentParams & {
  k: number;
  seed: number;
  maxIterations: number;
  restarts: number;
  /** share of a cluster's items a word must be on to name it */
  minDescriptorShare: number;
};

export interface StyleCluster {
  cluster: number;
  name: string;
  size: number;
}

const FORMAT_VERSION = 1;
const DEFAULTS: StyleClustersParams = {
  featureWeight: 1, embeddingWeight: 1, maxFeatures: 20_000,
  k: 12, seed: 42, maxIterations: 50, restarts: 3, minDescriptorShare: 0.3,
};
const RULES = {
  featureWeight: nonNegative, embeddingWeight: nonNegative, maxFeatures: intIn(1, CEILING.features),
  k: intIn(1, CEILING.neighbours), seed: intIn(0, Number.MAX_SAFE_INTEGER), maxIterations: intIn(1, CEILING.iterations), restarts: intIn(1, 100), minDescriptorShare: nonNegative,
};

/** Defaults merged with `given`, each value checked against its rule. */
const resolveOwnParams = (given?: Partial<StyleClustersParams>): StyleClustersParams => resolveParams('style-clusters', DEFAULTS, given, RULES);
const CONTENT_PREFIX = 'content.';
// within a cluster, a member's ranking follows how typical each item is (tiny next to affinity gaps)
const TYPICALITY_WEIGHT = 1e-3;

export class StyleClustersModel extends ItemScoringModel {
  /** cos(item, its centroid) */
  private readonly typicality: Float32Array;
  private clusterSizes: Int32Array | undefined;
  /** clusters, and the content space they are made in (onboarding answers) */
  readonly abilities: ModelAbilities;

  constructor(
    manifest: ArtifactManifest,
    readonly content: ContentModel,
    private readonly assignment: Int32Array,
    /** k × dim, row-major */
    private readonly centroids: Float32Array,
    readonly names: readonly string[],
  ) {
    super('style-clusters', manifest, [...content.items]);
    this.abilities = { styleClusters: this, content };
    this.typicality = new Float32Array(assignment.length);
    const dim = content.space.dim;
    for (let c = 0; c < names.length; c++) {
      const centroid = centroids.subarray(c * dim, (c + 1) * dim);
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += centroid[d] * centroid[d];
      norm = Math.sqrt(norm) || 1;
      const dots = content.vectors.dotAll(centroid);
      for (let i = 0; i < assignment.length; i++) if (assignment[i] === c) this.typicality[i] = dots[i] / norm;
    }
  }

  /** Rebuilds a saved model. */
  static fromArtifact(loaded: LoadedArtifact): StyleClustersModel {
    const content = ContentModel.fromArtifact(loaded, CONTENT_PREFIX);
    const names = stringsOf(loaded, 'clusterNames');
    const assignment = payloadOf(loaded, 'assignment', Int32Array, content.items.length);
    const centroids = payloadOf(loaded, 'centroids', Float32Array, names.length * content.space.dim);
    if (assignment.some((c) => c < 0 || c >= names.length)) {
      throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', 'style-clusters: an item is assigned to a cluster that does not exist');
    }
    return new StyleClustersModel(loaded.manifest, content, assignment, centroids, names);
  }

  /** Every cluster with its name and size. */
  get clusters(): StyleCluster[] {
    // counted once: the assignment never changes, and a page asks on every style row
    const sizes = (this.clusterSizes ??= countSizes(this.assignment, this.names.length));
    return this.names.map((name, cluster) => ({ cluster, name, size: sizes[cluster] }));
  }

  /** The cluster of an item (VITRINE_MODEL_UNKNOWN_ITEM for an item the model never saw). */
  clusterOf(itemId: string): number {
    return this.assignment[this.indexOfItem(itemId)];
  }

  /** A cluster's items, most typical first. */
  clusterItems(cluster: number, n = Infinity): string[] {
    if (!Number.isInteger(cluster) || cluster < 0 || cluster >= this.names.length) {
      throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', `style-clusters: no cluster ${cluster} (there are ${this.names.length})`);
    }
    const members: number[] = [];
    for (let i = 0; i < this.assignment.length; i++) if (this.assignment[i] === cluster) members.push(i);
    members.sort((a, b) => this.typicality[b] - this.typicality[a] || a - b);
    return members.slice(0, n).map((i) => this.itemIds[i]);
  }

  /** Every member query goes through the content model's profile: it knows whom that knows. */
  knowsUser(user: UserQuery): boolean {
    return this.content.knowsUser(user);
  }

  /** Clusters ranked by the cosine of the member's content profile with each centroid. */
  matchUser(user: UserQuery): Array<StyleCluster & { score: number }> {
    const affinity = this.affinities(user);
    return this.clusters
      .map((c) => ({ ...c, score: affinity[c.cluster] }))
      .sort((a, b) => b.score - a.score || a.cluster - b.cluster);
  }

  protected userScores(user: UserQuery): Float32Array {
    const affinity = this.affinities(user);
    return Float32Array.from(this.assignment, (c, i) => affinity[c] + TYPICALITY_WEIGHT * this.typicality[i]);
  }

  /** Items of the same cluster by content cosine; other clusters are not similar (NaN). */
  protected itemScores(item: number): Float32Array {
    const cosine = this.content.similarityTo(item);
    const c = this.assignment[item];
    for (let i = 0; i < cosine.length; i++) if (this.assignment[i] !== c) cosine[i] = NaN;
    return cosine;
  }

  protected payloads(): Payloads {
    return {
      ...this.content.historyPayloads(),
      ...this.content.contentPayloads(CONTENT_PREFIX),
      assignment: this.assignment,
      centroids: this.centroids,
      clusterNames: this.names,
    };
  }

  private affinities(user: UserQuery): Float64Array {
    const profile = this.content.profile(user);
    const dim = this.content.space.dim;
    return Float64Array.from(this.names, (_, c) => {
      const centroid = this.centroids.subarray(c * dim, (c + 1) * dim);
      let dot = 0;
      let norm = 0;
      for (let d = 0; d < dim; d++) {
        dot += profile[d] * centroid[d];
        norm += centroid[d] * centroid[d];
      }
      return norm > 0 ? dot / Math.sqrt(norm) : 0;
    });
  }
}

export const styleClustersTrainer: Trainer<StyleClustersParams> = {
  algorithm: 'style-clusters',
  defaults: DEFAULTS,
  resolveParams: resolveOwnParams,
  async train(input: TrainInput, params?: Partial<StyleClustersParams>, ctx: TrainContext = {}): Promise<Model> {
    const p = resolveOwnParams(params);
    const content = trainContentModel('style-clusters', input, p, ctx);
    const result = kMeans(content.vectors, {
      k: p.k, seed: p.seed, maxIterations: p.maxIterations, restarts: p.restarts,
      onIteration: () => throwIfAborted('style-clusters', ctx.signal),
    });
    const names = nameClusters(content.space.vocab, content.vectors, result.assignment, result.k, {
      minShare: p.minDescriptorShare, maxDescriptors: 2,
    });
    ctx.onProgress?.(1, 'clusters');
    const manifest: ArtifactManifest = {
      ...content.manifest,
      algorithm: 'style-clusters',
      formatVersion: FORMAT_VERSION,
      params: p,
      extra: { ...content.manifest.extra, k: result.k, inertia: result.inertia },
    };
    return new StyleClustersModel(manifest, content, result.assignment, result.centroids, names);
  },
  async load(dir: string, opts?: ArtifactLoadOptions): Promise<Model> {
    return StyleClustersModel.fromArtifact(await loadArtifact(dir, 'style-clusters', FORMAT_VERSION, opts));
  },
};

function countSizes(assignment: ArrayLike<number>, k: number): Int32Array {
  const sizes = new Int32Array(k);
  for (let i = 0; i < assignment.length; i++) sizes[assignment[i]]++;
  return sizes;
}
