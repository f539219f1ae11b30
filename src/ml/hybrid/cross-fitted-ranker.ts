/**
 * Cross-fitting the hybrid's learner (`innerFolds` ≥ 2): the training members are dealt into that
 * many seeded groups; one forest per group learns from all the others and is scored, after every
 * round, by NDCG@10 over the group it did not see. The rounds kept are those best on the mean of the
 * held-out curves, and the ranker is the mean of the forests cut there. Why: on RTR the number of
 * rounds was fixed (100) because early stopping on a few hundred held-out members stopped erratically
 * (boosted-ranker.ts); here every training member is held out once, so the curve that picks the rounds
 * is measured on all of them, and the average of the forests cuts the seed-to-seed spread as bagging
 * does (bagged-ranker.ts). The price: `innerFolds` forests, each on (k − 1)/k of the members, and as
 * many times the trees at serving; `foldForests: 'refit'` serves one forest instead (see servedForest).
 */
import { seededUniform } from '../common/rng.ts';
import type { Forest } from '../fit/gbdt/forest.ts';
import { shuffleInPlace } from '../fit/seeded-random.ts';
import { averageForests, subsetQueries } from './bagged-ranker.ts';
import { distilForest } from './distilled-ranker.ts';
import { trainRanker, type RankerParams, type RankerResult, type RankingSet } from './boosted-ranker.ts';
import type { HybridParams } from './params.ts';

/** far from bagging's stride, so that a fold's seed never equals a bag's */
export const FOLD_SEED_STRIDE = 104_729;

/** What cross-fitting learned before a ranker is made of it. */
export interface CrossFit {
  /** the fold forests, cut at `rounds` */
  forests: Forest[];
  rounds: number;
  /** mean held-out NDCG@10 after each round */
  curve: Float64Array;
}

/**
 * The ranker cross-fitting serves (`p.foldForests`): the mean of the `folds` fold forests ('mean'),
 * one forest refitted on every member at the rounds the folds picked ('refit': as compact as one
 * forest), or the mean of both kinds ('mean-and-refit': folds + 1 forests, the refit one among equals).
 */
export function trainCrossFitted(train: RankingSet, folds: number, p: RankerParams & Pick<HybridParams, 'foldForests'>, onRound?: (round: number) => void): RankerResult {
  const fit = crossFit(train, folds, p, onRound);
  return { forest: servedForest(fit, train, p), rounds: fit.rounds, validationNdcg: fit.curve[fit.rounds - 1], curve: fit.curve };
}

/** The forest `p.foldForests` asks for, from `fit` (the refit one is learned here, on all of `train`). */
export function servedForest(fit: CrossFit, train: RankingSet, p: RankerParams & Pick<HybridParams, 'foldForests'>): Forest {
  return foldForestsRanker(fit, p.foldForests, () => refitForest(fit, train, p), () => distilForest(averageForests(fit.forests), train, fit.rounds, p));
}

/** One forest on all of `train` at the rounds the folds picked, with the run's own seed. */
export function refitForest(fit: CrossFit, train: RankingSet, p: RankerParams): Forest {
  return trainRanker(train, undefined, { ...p, rounds: fit.rounds }).forest;
}

/**
 * The ranker of `mode` from the fold forests and (learned only when asked for) the refit forest
 * ('refit', 'mean-and-refit') or the one forest distilled from their mean ('distil', distilled-ranker.ts).
 */
export function foldForestsRanker(fit: CrossFit, mode: HybridParams['foldForests'], refit: () => Forest, distil: () => Forest): Forest {
  if (mode === 'mean') return averageForests(fit.forests);
  if (mode === 'distil') return distil();
  return mode === 'refit' ? refit() : averageForests([...fit.forests, refit()]);
}

/** `folds` forests, each learned without one seeded group of members, cut at the best round of their mean held-out curve. */
export function crossFit(train: RankingSet, folds: number, p: RankerParams, onRound?: (round: number) => void): CrossFit {
  const nQueries = train.queryStart.length - 1;
  const order = shuffleInPlace(Int32Array.from({ length: nQueries }, (_, q) => q), seededUniform(p.seed));
  const groupOf = new Int32Array(nQueries);
  order.forEach((q, j) => (groupOf[q] = j % folds));
  const members = (keep: (g: number) => boolean): Int32Array => Int32Array.from(order.filter((q) => keep(groupOf[q]))).sort();
  const forests: Forest[] = [];
  const curve = new Float64Array(p.rounds);
  let heldOut = 0;
  for (let g = 0; g < folds; g++) {
    const held = members((x) => x === g);
    const seed = p.seed + (g + 1) * FOLD_SEED_STRIDE;
    // every round is grown (no early stop): the rounds are picked on the mean curve below
    const r = trainRanker(subsetQueries(train, members((x) => x !== g)), subsetQueries(train, held), { ...p, seed, earlyStoppingRounds: p.rounds }, (round) => onRound?.((g * p.rounds + round) / folds), true);
    // weighted by the group's members, so the mean curve is the NDCG@10 over all held-out members
    r.curve.forEach((x, j) => (curve[j] += x * held.length));
    heldOut += held.length;
    forests.push(r.forest);
  }
  let best = 0;
  for (let j = 1; j < curve.length; j++) if (curve[j] > curve[best]) best = j;
  const rounds = best + 1;
  return { forests: forests.map((f) => firstTrees(f, rounds)), rounds, curve: curve.map((x) => x / heldOut) };
}

/** The first `n` trees of `forest` (flattenTrees stores trees one after the other). */
export function firstTrees(forest: Forest, n: number): Forest {
  if (n >= forest.treeRoot.length) return forest;
  const nodes = forest.treeRoot[n];
  return {
    ...forest,
    treeRoot: forest.treeRoot.slice(0, n),
    nodeFeature: forest.nodeFeature.slice(0, nodes),
    nodeThreshold: forest.nodeThreshold.slice(0, nodes),
    nodeNanLeft: forest.nodeNanLeft.slice(0, nodes),
    nodeLeft: forest.nodeLeft.slice(0, nodes),
    nodeRight: forest.nodeRight.slice(0, nodes),
    nodeValue: forest.nodeValue.slice(0, nodes),
  };
}
