/**
 * Two models that exist only inside a simulation, so that the closed loop can be checked against a
 * known answer: `oracle` ranks items by the member's true affinity (the latent taste · style dot
 * product the member model responds to), and `random` ranks them at random. They follow the Model
 * API and are registered as trainers for the length of a simulation, so serving loads them from the
 * registry like any other version and the `for-you` row, filters and fallbacks treat them the same.
 * Their artifacts are a manifest only: the latent truth stays in memory (it must never be on disk
 * beside real models, and a recommender must never see it).
 */
import { VitrineError } from '../../core/errors.ts';
import { loadArtifact, saveArtifact } from '../../ml/artifact.ts';
import { resolveParams } from '../../ml/common/params.ts';
import { topN } from '../../ml/common/top-n.ts';
import { trainingManifest } from '../../ml/common/train-input.ts';
import type { ArtifactManifest, Model, RecommendOptions, ScoredItem, Trainer, UserQuery } from '../../ml/model.ts';
import { registerTrainer } from '../../ml/registry.ts';
import { LATENT_DIM } from '../world/archetypes.ts';
import { Rng } from '../world/rng.ts';
import { affinity } from '../world/style-space.ts';

export const SIM_ONLY_ALGORITHMS = ['oracle', 'random'] as const;
const FORMAT_VERSION = 1;

/** The latent truth the simulation-only models read. */
export interface SimTruth {
  seed: number;
  itemIds: readonly string[];
  itemIndex: ReadonlyMap<string, number>;
  memberIndex: ReadonlyMap<string, number>;
  /** members × LATENT_DIM */
  taste: Float32Array;
  /** items × LATENT_DIM */
  style: Float32Array;
}

/**
 * A model that knows members only by id (the truth is per member): a query by interactions or by
 * vector is "unknown member", so serving asks again by id (page/member-query.ts).
 */
abstract class TruthModel implements Model {
  abstract readonly algorithm: string;
  constructor(protected readonly truth: SimTruth, readonly manifest: ArtifactManifest) {}

  protected abstract memberScores(userId: string): Float32Array;
  protected abstract itemScores(item: number): Float32Array;

  recommend(user: UserQuery, n: number, opts: RecommendOptions = {}): ScoredItem[] {
    return this.top(this.memberScores(this.userIdOf(user)), n, opts);
  }

  similar(itemId: string, n: number, opts: RecommendOptions = {}): ScoredItem[] {
    const i = this.truth.itemIndex.get(itemId);
    if (i === undefined) throw new VitrineError('VITRINE_MODEL_UNKNOWN_ITEM', `${this.algorithm}: unknown item "${itemId}"`);
    const scores = this.itemScores(i);
    scores[i] = Number.NaN;
    return this.top(scores, n, opts);
  }

  score(user: UserQuery, itemIds: readonly string[]): Float32Array {
    const scores = this.memberScores(this.userIdOf(user));
    return Float32Array.from(itemIds, (id) => {
      const i = this.truth.itemIndex.get(id);
      return i === undefined ? Number.NaN : scores[i];
    });
  }

  async save(dir: string): Promise<void> {
    await saveArtifact(dir, this.manifest, {});
  }

  private userIdOf(user: UserQuery): string {
    if ('userId' in user && this.truth.memberIndex.has(user.userId)) return user.userId;
    throw new VitrineError('VITRINE_MODEL_UNKNOWN_USER', `${this.algorithm} knows members by id only`);
  }

  private top(scores: Float32Array, n: number, opts: RecommendOptions): ScoredItem[] {
    const { itemIds } = this.truth;
    const accept = (i: number): boolean => !opts.exclude?.has(itemIds[i]) && (opts.filter?.(itemIds[i]) ?? true);
    return Array.from(topN(scores, n, undefined, accept), (i) => ({ itemId: itemIds[i], score: scores[i] }));
  }
}

/** Ranks by true affinity. */
class OracleModel extends TruthModel {
  readonly algorithm = 'oracle';
  protected memberScores(userId: string): Float32Array {
    const { taste, style, itemIds } = this.truth;
    const m = this.truth.memberIndex.get(userId) as number;
    return Float32Array.from(itemIds, (_, i) => affinity(taste, m, style, i));
  }
  protected itemScores(item: number): Float32Array {
    const { style, itemIds } = this.truth;
    return Float32Array.from(itemIds, (_, i) => affinity(style, item, style, i));
  }
}

/**
 * Ranks at random. Each call draws from its own stream, named by the member (or item) and how many
 * times they were asked before, so a run is deterministic by seed whatever else happens in it.
 */
class RandomModel extends TruthModel {
  readonly algorithm = 'random';
  private readonly calls = new Map<string, number>();
  protected memberScores(userId: string): Float32Array {
    return this.draw(`u:${userId}`);
  }
  protected itemScores(item: number): Float32Array {
    return this.draw(`i:${item}`);
  }
  private draw(key: string): Float32Array {
    const k = this.calls.get(key) ?? 0;
    this.calls.set(key, k + 1);
    const rng = new Rng(this.truth.seed, `random-model:${key}:${k}`);
    return Float32Array.from(this.truth.itemIds, () => rng.float());
  }
}

function trainerOf(algorithm: (typeof SIM_ONLY_ALGORITHMS)[number], truth: SimTruth): Trainer {
  const make = (manifest: ArtifactManifest): Model => (algorithm === 'oracle' ? new OracleModel(truth, manifest) : new RandomModel(truth, manifest));
  return {
    algorithm,
    defaults: {},
    resolveParams: (given) => resolveParams(algorithm, {}, given as Record<string, never> | undefined),
    async train(input) {
      return make(trainingManifest(algorithm, FORMAT_VERSION, { latentDim: LATENT_DIM }, input.interactions));
    },
    async load(dir) {
      return make((await loadArtifact(dir, algorithm, FORMAT_VERSION)).manifest);
    },
  };
}

/** Registers `oracle` and `random` over `truth`; returns the function that unregisters them. */
export function registerSimulationModels(truth: SimTruth): () => void {
  const unregister = SIM_ONLY_ALGORITHMS.map((name) => registerTrainer(trainerOf(name, truth)));
  return () => {
    for (const undo of unregister) undo();
  };
}
