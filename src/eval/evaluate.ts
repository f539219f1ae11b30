/**
 * Offline evaluation of algorithms on a split, through the public Model API only: each algorithm is
 * trained on the train part with `getTrainer(name).train(…)`, then every evaluated member gets
 * `model.recommend({userId}, K, {exclude: their train items})` — a full ranking over the vocabulary,
 * no sampled negatives — and the lists are scored against the held-out items (metrics/).
 */
import { VitrineError } from '../core/errors.ts';
import { algorithmNames, getTrainer } from '../ml/registry.ts';
import { summarise, userMetricVectors, type MetricSummary, type UserMetricVectors } from './metrics/per-user.ts';
import { recommendAll, type RecommendPlan } from './recommend-all.ts';
import type { EvalSplit, SplitProtocol } from './splits.ts';

/** EVALUATION.md's algorithms, in report order (those not registered in this build are skipped). */
export const EVALUATION_ALGORITHMS = ['popularity', 'popularity-recent', 'item-knn', 'ease', 'als', 'hybrid'] as const;

/**
 * The parameters of EVALUATION.md's reference rows, pinned here so that the rows stay reproducible
 * whatever the library's serving defaults become; `--params` overrides them per algorithm.
 */
export const EVALUATION_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  // the reference row counts the 90 days before the end of train for everyone, whatever the member's time
  'popularity-recent': { mode: 'window', count: 'interactions', windowDays: 90, clock: 'train' },
  'item-knn': { k: 100, shrinkage: 0, binary: true },
  ease: { lambda: 500 },
  als: { factors: 64, regularization: 0.1, alpha: 20, iterations: 15, solver: 'exact' },
};

export type AlgorithmParams = Record<string, Record<string, unknown>>;

export interface EvaluateOptions {
  algorithms?: readonly string[];
  /** default 10 */
  k?: number;
  /** per algorithm, merged over EVALUATION_DEFAULTS */
  params?: AlgorithmParams;
  /** worker threads for the recommendation pass: 0 = automatic (see recommend-all.ts), 1 = this thread */
  threads?: number;
  onProgress?: (algorithm: string, phase: 'train' | 'recommend' | 'done', seconds?: number) => void;
}

export interface AlgorithmResult extends MetricSummary {
  trainSeconds: number;
  recommendSeconds: number;
  /** worker threads the recommendation pass used (0 = the calling thread only) */
  recommendWorkers: number;
  /** the parameters given to the trainer (after EVALUATION_DEFAULTS and overrides) */
  params: Record<string, unknown>;
  /** members the model could not rank (unknown to it): they count as empty lists */
  unrankedUsers: number;
  perUser: UserMetricVectors;
  /** every evaluated member's top K (aligned with perUser.userIds), for popularity bias and re-scoring */
  lists: string[][];
}

export interface EvaluationReport {
  protocol: SplitProtocol;
  k: number;
  /** evaluated members */
  users: number;
  /** vocabulary size (train items) */
  items: number;
  trainInteractions: number;
  trainPairs: number;
  trainUsers: number;
  results: Record<string, AlgorithmResult>;
}

/** The algorithms evaluated when none are named: EVALUATION_ALGORITHMS that this build registers. */
export function defaultAlgorithms(): string[] {
  const known = new Set(algorithmNames());
  return EVALUATION_ALGORITHMS.filter((a) => known.has(a));
}

/** Checks names and params before any training; VITRINE_MODEL_UNKNOWN_ALGORITHM lists the valid names. */
export function checkAlgorithms(algorithms: readonly string[], params: AlgorithmParams = {}): void {
  if (algorithms.length === 0) throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', 'no algorithm to evaluate');
  for (const name of [...algorithms, ...Object.keys(params)]) getTrainer(name);
  for (const [name, p] of Object.entries(params)) {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) {
      throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', `params of "${name}" must be an object, got ${JSON.stringify(p)}`);
    }
  }
}

/** Trains and scores every algorithm on `split`, one after the other. */
export async function evaluateSplit(split: EvalSplit, opts: EvaluateOptions = {}): Promise<EvaluationReport> {
  const k = opts.k ?? 10;
  if (!Number.isInteger(k) || k < 1) throw new VitrineError('VITRINE_EVAL_BAD_PROTOCOL', `K must be a positive integer, got ${k}`);
  const algorithms = opts.algorithms ?? defaultAlgorithms();
  checkAlgorithms(algorithms, opts.params);
  const train = split.train.interactions;
  const report: EvaluationReport = {
    protocol: split.protocol,
    k,
    users: split.users.length,
    items: train.itemIds.length,
    trainInteractions: split.trainRows,
    trainPairs: train.users.length,
    trainUsers: train.userIds.length,
    results: {},
  };
  for (const name of algorithms) {
    const params = { ...EVALUATION_DEFAULTS[name], ...opts.params?.[name] };
    opts.onProgress?.(name, 'train');
    const t0 = performance.now();
    const model = await getTrainer(name).train(split.train, params, { now: split.trainEnd });
    const trainSeconds = (performance.now() - t0) / 1000;
    opts.onProgress?.(name, 'recommend', trainSeconds);
    const t1 = performance.now();
    const plan: RecommendPlan = { algorithm: name, users: split.users, k, threads: opts.threads ?? 0 };
    const { lists, unranked, workers } = await recommendAll(model, plan);
    const recommendSeconds = (performance.now() - t1) / 1000;
    report.results[name] = scoreLists(split, lists, k, report.items, {
      trainSeconds, recommendSeconds, recommendWorkers: workers, params, unrankedUsers: unranked,
    });
    opts.onProgress?.(name, 'done', recommendSeconds);
  }
  return report;
}

/** Metrics of one algorithm's lists (one per evaluated member, in split order). */
export function scoreLists(
  split: Pick<EvalSplit, 'users'>, lists: ReadonlyArray<readonly string[]>, k: number, nItems: number,
  extra: Omit<AlgorithmResult, keyof MetricSummary | 'perUser' | 'lists'>,
): AlgorithmResult {
  const perUser = userMetricVectors(split.users.map((u) => u.userId), lists, split.users.map((u) => u.relevant), k);
  return { ...summarise(perUser, lists, nItems), ...extra, perUser, lists: lists.map((l) => [...l]) };
}
