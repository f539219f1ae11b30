/**
 * Cross-fitting the hybrid's learner (`innerFolds` ≥ 2): the training members are dealt into that
 * many seeded groups; one forest per group learns from all the others and is scored, after every
 * round, by NDCG@10 over the group it did not see. The rounds kept are those best on the mean of the
 * held-out curves, and the ranker is the mean of the forests cut there. Why: on RTR the number of
 * rounds was fixed (100) because early stopping on a few hundred held-out members stopped erratically
 * (boosted-ranker.ts); here every training member is held out once, so the curve that picks the rounds
 * is measured on all of them, and the average of the forests cuts the seed-to-seed spread as bagging
 * does (bagged-ranker.ts). The price: `innerFolds` forests, each on (k − 1)/k of the members.
 */
import { seededUniform } from '../common/rng.ts';
import type { Forest } from '../fit/gbdt/forest.ts';
import { shuffleInPlace } from '../fit/seeded-random.ts';
import { averageForests, subsetQueries } from './bagged-ranker.ts';
import { trainRanker, type RankerParams, type RankerResult, type RankingSet } from './boosted-ranker.ts';

/** far from bagging's stride, so that a fold's seed never equals a bag's */
export const FOLD_SEED_STRIDE = 104_729;

/** The mean of `folds` cross-fitted forests, cut at the rounds best on their held-out groups. */
export function trainCrossFitted(train: RankingSet, folds: number, p: RankerParams, onRound?: (round: number) => void): RankerResult {
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
  return { forest: averageForests(forests.map((f) => firstTrees(f, rounds))), rounds, validationNdcg: curve[best] / heldOut, curve: curve.map((x) => x / heldOut) };
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
