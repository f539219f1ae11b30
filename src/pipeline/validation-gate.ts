/**
 * The validation gate between training and serving. The newest `testFraction` of positives is a
 * recent test period (EVALUATION.md's global-time protocol, cut at that quantile of time); the
 * candidate's algorithm and params, popularity, and the active version's algorithm and params are each
 * retrained on the older part and scored on it through the evaluation harness (eval/evaluate.ts).
 * The candidate passes when its metric reaches minVsPopularity × popularity's and (1 − tolerance) ×
 * the active version's. A candidate the data cannot judge (nobody to evaluate) passes only when there
 * is no active version of its algorithm to protect.
 */
import { VitrineError } from '../core/errors.ts';
import { evaluateSplit } from '../eval/evaluate.ts';
import type { RankingMetric } from '../eval/metrics/per-user.ts';
import { splitDataset, type EvalSplit } from '../eval/splits.ts';
import { getTrainer } from '../ml/registry.ts';
import type { ModelRecord } from '../storage/store.ts';
import type { TrainingData } from './training-data.ts';

export interface GateOptions {
  /** algorithms judged; others pass unjudged */
  algorithms: readonly string[];
  metric: RankingMetric;
  k: number;
  testFraction: number;
  tolerance: number;
  minVsPopularity: number;
  maxUsers: number;
}

export interface GateVerdict {
  passed: boolean;
  /** one line for the registry's note */
  reason: string;
  /** e.g. `ndcg@10`, `popularity.ndcg@10`, `active.ndcg@10`, `gateUsers` */
  metrics: Record<string, number>;
}

/** One run's gate: the split and popularity's score are computed once and shared by every candidate. */
export class ValidationGate {
  private split?: EvalSplit | VitrineError;
  private popularity?: number;
  /** scores by algorithm and params: a model is trained on the split once per run */
  private readonly scores = new Map<string, Promise<number>>();

  constructor(private readonly data: Pick<TrainingData, 'name' | 'interactions'> & { items?: TrainingData['items'] }, private readonly opts: GateOptions) {}

  /** The gate's metric as named in the registry's metrics, e.g. `ndcg@10`. */
  get metricName(): string {
    return `${this.opts.metric}@${this.opts.k}`;
  }

  /** The metric of `algorithm` with `params` on this run's split; undefined when the split cannot judge. */
  async scoreOf(algorithm: string, params: Record<string, unknown> | undefined): Promise<number | undefined> {
    const split = this.recentSplit();
    return split instanceof VitrineError ? undefined : this.score(split, algorithm, params);
  }

  /** Judges a candidate trained with `params` against popularity and the active version of its algorithm. */
  async judge(algorithm: string, params: Record<string, unknown> | undefined, active: ModelRecord | undefined): Promise<GateVerdict> {
    if (!this.opts.algorithms.includes(algorithm)) return { passed: true, reason: 'not gated', metrics: {} };
    const split = this.recentSplit();
    if (split instanceof VitrineError) {
      const reason = `gate cannot judge: ${split.message}`;
      return active
        ? { passed: false, reason: `${reason}; ${active.version} stays active`, metrics: {} }
        : { passed: true, reason: `${reason}; activated as the first ${algorithm} version`, metrics: {} };
    }
    const name = this.metricName;
    const candidate = await this.score(split, algorithm, params);
    this.popularity ??= await this.score(split, 'popularity', undefined);
    const metrics: Record<string, number> = {
      [name]: candidate, [`popularity.${name}`]: this.popularity, gateUsers: split.users.length, gateCutoff: split.trainEnd,
    };
    const popularityBar = this.opts.minVsPopularity * this.popularity;
    if (candidate < popularityBar) {
      return { passed: false, reason: `${name} ${fmt(candidate)} < ${this.opts.minVsPopularity} × popularity's ${fmt(this.popularity)}`, metrics };
    }
    if (active) {
      const same = JSON.stringify(active.params ?? {}) === JSON.stringify(params ?? {});
      const activeScore = same ? candidate : await this.score(split, active.algorithm, active.params);
      metrics[`active.${name}`] = activeScore;
      const activeBar = (1 - this.opts.tolerance) * activeScore;
      if (candidate < activeBar) {
        return { passed: false, reason: `${name} ${fmt(candidate)} < (1 − ${this.opts.tolerance}) × active ${active.version}'s ${fmt(activeScore)}`, metrics };
      }
    }
    return { passed: true, reason: `${name} ${fmt(candidate)} passes (popularity ${fmt(this.popularity)})`, metrics };
  }

  private recentSplit(): EvalSplit | VitrineError {
    if (this.split) return this.split;
    const ts = this.data.interactions.ts;
    if (ts.length === 0) return (this.split = new VitrineError('VITRINE_EVAL_NO_USERS', 'no positives'));
    const sorted = Float64Array.from(ts).sort();
    const cutoff = sorted[Math.min(sorted.length - 1, Math.floor((1 - this.opts.testFraction) * sorted.length))];
    try {
      const split = splitDataset({ name: this.data.name, interactions: this.data.interactions, items: this.data.items },
        { name: 'global-time', cutoff });
      this.split = { ...split, users: evenSample(split.users, this.opts.maxUsers) };
    } catch (err) {
      if (!(err instanceof VitrineError)) throw err;
      this.split = err;
    }
    return this.split;
  }

  /** The metric of `algorithm` trained on the split's train part with the params it is served with. */
  private score(split: EvalSplit, algorithm: string, params: Record<string, unknown> | undefined): Promise<number> {
    // the trainer's own defaults, not EVALUATION.md's pinned ones: judge what would be served
    const served = { ...(getTrainer(algorithm).defaults as Record<string, unknown>), ...params };
    const key = `${algorithm} ${JSON.stringify(served)}`;
    let score = this.scores.get(key);
    if (!score) {
      score = evaluateSplit(split, { algorithms: [algorithm], k: this.opts.k, params: { [algorithm]: served }, threads: 1 })
        .then((report) => report.results[algorithm][this.opts.metric]);
      this.scores.set(key, score);
    }
    return score;
  }
}

/** At most `max` entries, evenly spaced (deterministic). */
function evenSample<T>(list: readonly T[], max: number): T[] {
  if (list.length <= max) return [...list];
  return Array.from({ length: max }, (_, j) => list[Math.floor((j * list.length) / max)]);
}

function fmt(x: number): string {
  return x.toFixed(4);
}
