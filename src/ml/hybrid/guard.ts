/**
 * "The hybrid never loses to its parts" (issue 21): on held-out inner-split members (the guard set,
 * every candidate kept) the learned forest is compared, by NDCG@10 over each member's candidates,
 * with each component ranking alone — item-kNN, EASE, ALS, content, recent popularity, all-time
 * popularity, and the size-band + recent popularity of EVALUATION.md's best reference row. The
 * candidates hold each component's top items, so a component's own top 10 is ranked there exactly as
 * it would rank the catalogue. When the forest does not beat the best component, the hybrid ranks by
 * that component, and says so in its manifest and training log.
 */
import type { Forest } from '../fit/gbdt/forest.ts';
import { meanNdcg, scoreRows, type RankingSet } from './boosted-ranker.ts';
import { FEATURE_NAMES, N_FEATURES, type FeatureName } from './features.ts';

/** Component rankings by name: the features whose sum ranks (NaN in the first: not ranked by it). */
export const COMPONENT_RANKINGS = {
  'item-knn': ['knn'],
  ease: ['ease'],
  als: ['als'],
  content: ['content'],
  'popularity-recent': ['popRecent'],
  popularity: ['popAll'],
  'size-popularity': ['sizePopRecent', 'popRecent'],
} as const satisfies Record<string, readonly FeatureName[]>;

export type ComponentRanking = keyof typeof COMPONENT_RANKINGS;
/**
 * How a hybrid ranks its candidates: its forest, a component alone, or (for questions asked before the
 * training clock) the forest learned for questions at the clock, when that one does better there.
 */
export type Ranking = 'forest' | 'clock-forest' | ComponentRanking;

export interface GuardVerdict {
  ranking: Ranking;
  /** NDCG@10 over the guard members' candidates, per ranking tried */
  ndcg: Partial<Record<Ranking, number>>;
  members: number;
}

const FEATURE_INDEX = new Map<string, number>(FEATURE_NAMES.map((n, j) => [n, j]));

/** True for a ranking name a model may be asked to use. */
export function isRanking(name: unknown): name is Ranking {
  return name === 'forest' || name === 'clock-forest' || (typeof name === 'string' && Object.hasOwn(COMPONENT_RANKINGS, name));
}

/**
 * Score of one candidate under a component ranking; `get(f)` reads feature f of its row. NaN when
 * the component does not score the item (a missing size band counts 0: recent popularity still ranks).
 */
export function componentScore(name: ComponentRanking, get: (f: number) => number): number {
  const [first, ...rest] = COMPONENT_RANKINGS[name].map((f) => get(FEATURE_INDEX.get(f) as number));
  if (rest.length === 0) return first;
  return (Number.isNaN(first) ? 0 : first) + rest.reduce((s, x) => s + x, 0);
}

/**
 * The best ranking on `guard`: the forest unless a component (or the clock's forest, when given) does
 * at least as well; the forest without a guard set.
 */
export function judgeRankings(forest: Forest, guard: RankingSet | undefined, clockForest?: Forest): GuardVerdict {
  if (!guard || guard.labels.length === 0) return { ranking: 'forest', ndcg: {}, members: 0 };
  const n = guard.labels.length;
  const rows = new Float32Array(n * N_FEATURES);
  guard.columns.forEach((col, f) => {
    for (let k = 0; k < n; k++) rows[k * N_FEATURES + f] = col[k];
  });
  const ndcg: Partial<Record<Ranking, number>> = { forest: meanNdcg(scoreRows(forest, rows, n), guard) };
  let best: Exclude<Ranking, 'forest'> | undefined;
  if (clockForest) {
    ndcg['clock-forest'] = meanNdcg(scoreRows(clockForest, rows, n), guard);
    best = 'clock-forest';
  }
  for (const name of Object.keys(COMPONENT_RANKINGS) as ComponentRanking[]) {
    const raw = Float64Array.from({ length: n }, (_, k) => componentScore(name, (f) => guard.columns[f][k]));
    if (raw.every(Number.isNaN)) continue; // a component the hybrid did not train
    ndcg[name] = meanNdcg(raw, guard);
    if (best === undefined || (ndcg[name] as number) > (ndcg[best] as number)) best = name;
  }
  const forestWins = best === undefined || (ndcg.forest as number) > (ndcg[best] as number);
  return { ranking: forestWins ? 'forest' : (best as Exclude<Ranking, 'forest'>), ndcg, members: guard.queryStart.length - 1 };
}
