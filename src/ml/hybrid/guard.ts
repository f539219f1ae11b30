/**
 * "The hybrid never loses to its parts" (issue 21): on held-out inner-split members (the guard set,
 * every candidate kept) the learned forest is compared, by NDCG@10 over each member's candidates,
 * with each component ranking alone — item-kNN, EASE, ALS (when `alsFactors` > 0), content, recent popularity, all-time
 * popularity, and the size-band + recent popularity of EVALUATION.md's best reference row. The
 * candidates hold each component's top items, so a component's own top 10 is ranked there exactly as
 * it would rank the catalogue. When the forest does not beat the best component, the hybrid ranks by
 * that component, and says so in its manifest and training log. A rank blend of the forest with the best
 * component (rank-blend.ts) ranks instead when it beats both (`guardBlend`, off by default: on RTR it won
 * on the guard members at three seeds but lost on the test).
 */
import type { Forest } from '../fit/gbdt/forest.ts';
import { meanNdcg, scoreRows, type RankingSet } from './boosted-ranker.ts';
import { FEATURE_NAMES, N_FEATURES, type FeatureName } from './features.ts';
import { BLEND_WEIGHTS, blendInto, type Blend } from './rank-blend.ts';

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
 * How a hybrid ranks its candidates: its forest, a component alone, the forest blended with its best
 * component (rank-blend.ts), or (for questions asked before the training clock) the forest learned for
 * questions at the clock, when that one does better there.
 */
export type Ranking = 'forest' | 'clock-forest' | 'blend' | ComponentRanking;

export interface GuardVerdict {
  ranking: Ranking;
  /** the component and weight when `ranking` is 'blend' */
  blend?: Blend;
  /** NDCG@10 on the guard members of the forest blended with the best component, per weight tried */
  blends?: Record<string, number>;
  /** NDCG@10 over the guard members' candidates, per ranking tried */
  ndcg: Partial<Record<Ranking, number>>;
  members: number;
}

const FEATURE_INDEX = new Map<string, number>(FEATURE_NAMES.map((n, j) => [n, j]));

/** True for a ranking name a model may be asked to use. */
export function isRanking(name: unknown): name is Ranking {
  return name === 'forest' || name === 'clock-forest' || name === 'blend' || isComponentRanking(name);
}

/** True for the name of a component ranking. */
export function isComponentRanking(name: unknown): name is ComponentRanking {
  return typeof name === 'string' && Object.hasOwn(COMPONENT_RANKINGS, name);
}

/** Scores of `count` rows (row-major, N_FEATURES wide) under a component ranking. */
export function componentScores(name: ComponentRanking, rows: Float32Array, count: number): Float64Array {
  return Float64Array.from({ length: count }, (_, k) => componentScore(name, (f) => rows[k * N_FEATURES + f]));
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
 * at least as well; a blend of the forest with the best component (each weight of BLEND_WEIGHTS) when
 * it beats both (with `tryBlends`); the forest without a guard set.
 */
export function judgeRankings(forest: Forest, guard: RankingSet | undefined, clockForest?: Forest, tryBlends = true): GuardVerdict {
  if (!guard || guard.labels.length === 0) return { ranking: 'forest', ndcg: {}, members: 0 };
  const n = guard.labels.length;
  const rows = new Float32Array(n * N_FEATURES);
  guard.columns.forEach((col, f) => {
    for (let k = 0; k < n; k++) rows[k * N_FEATURES + f] = col[k];
  });
  const forestRaw = scoreRows(forest, rows, n);
  const ndcg: Partial<Record<Ranking, number>> = { forest: meanNdcg(forestRaw, guard) };
  let best: Exclude<Ranking, 'forest'> | undefined;
  if (clockForest) {
    ndcg['clock-forest'] = meanNdcg(scoreRows(clockForest, rows, n), guard);
    best = 'clock-forest';
  }
  let bestComponent: { name: ComponentRanking; raw: Float64Array; ndcg: number } | undefined;
  for (const name of Object.keys(COMPONENT_RANKINGS) as ComponentRanking[]) {
    const raw = componentScores(name, rows, n);
    if (raw.every(Number.isNaN)) continue; // a component the hybrid did not train
    ndcg[name] = meanNdcg(raw, guard);
    if (best === undefined || (ndcg[name] as number) > (ndcg[best] as number)) best = name;
    if (!bestComponent || (ndcg[name] as number) > bestComponent.ndcg) bestComponent = { name, raw, ndcg: ndcg[name] as number };
  }
  const members = guard.queryStart.length - 1;
  const forestWins = best === undefined || (ndcg.forest as number) > (ndcg[best] as number);
  const single: Ranking = forestWins ? 'forest' : (best as Exclude<Ranking, 'forest'>);
  const blend = tryBlends && bestComponent ? bestBlend(forestRaw, bestComponent.raw, guard) : undefined;
  const blends = blend?.scan;
  if (blend && bestComponent && blend.ndcg > (ndcg[single] as number)) {
    ndcg.blend = blend.ndcg;
    return { ranking: 'blend', blend: { component: bestComponent.name, weight: blend.weight }, blends, ndcg, members };
  }
  return { ranking: single, ndcg, members, ...(blends ? { blends } : {}) };
}

/** The weight of BLEND_WEIGHTS whose blend of forest and component ranks `guard` best. */
function bestBlend(forestRaw: Float64Array, componentRaw: Float64Array, guard: RankingSet): { weight: number; ndcg: number; scan: Record<string, number> } {
  const mixed = new Float64Array(forestRaw.length);
  const scan: Record<string, number> = {};
  let best = { weight: BLEND_WEIGHTS[0] as number, ndcg: -Infinity };
  for (const weight of BLEND_WEIGHTS) {
    for (let q = 0; q + 1 < guard.queryStart.length; q++) blendInto(forestRaw, componentRaw, weight, guard.queryStart[q], guard.queryStart[q + 1], mixed);
    const score = meanNdcg(mixed, guard);
    scan[String(weight)] = score;
    if (score > best.ndcg) best = { weight, ndcg: score };
  }
  return { ...best, scan };
}
