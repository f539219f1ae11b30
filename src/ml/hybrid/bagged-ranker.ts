/**
 * Bagging the hybrid's learner: `bags` forests, each trained with its own seed (feature sampling) on a
 * seeded sample of `bagShare` of the training members, and averaged. Why: on RTR one seed or one
 * parameter moved NDCG@10 by ±0.0007 (bench/results/hybrid-tuning.md), more than any gain measured,
 * because one forest fitted on one sample of members lands well or badly by chance; the average of
 * several is the variance reduction bagging is for (Breiman 1996). The average of forests is itself a
 * forest (every tree, leaf values divided by the number of bags), so artifacts and serving are
 * unchanged; the price is `bags` × the learner's training time and trees per candidate at serving.
 * TODO(one way to average forests): cross-fitting (cross-fitted-ranker.ts) measured better on RTR; when
 * one of them becomes the default, remove the other (stored hybrids carry `bags` in their params).
 */
import { seededUniform } from '../common/rng.ts';
import type { Forest } from '../fit/gbdt/forest.ts';
import { shuffleInPlace } from '../fit/seeded-random.ts';
import { trainRanker, type RankerParams, type RankerResult, type RankingSet } from './boosted-ranker.ts';
import type { HybridParams } from './params.ts';

export type BaggingParams = RankerParams & Pick<HybridParams, 'bags' | 'bagShare'>;

/** far apart, so that a bag's seed never equals another run's base seed + small offsets */
const BAG_SEED_STRIDE = 7919;

/** The mean of `p.bags` forests (one forest, on all members, when bags is 1). */
export function trainBagged(train: RankingSet, valid: RankingSet | undefined, p: BaggingParams, onRound?: (round: number) => void): RankerResult {
  if (p.bags <= 1) return trainRanker(train, valid, p, onRound);
  const nQueries = train.queryStart.length - 1;
  const keep = Math.max(1, Math.round(nQueries * p.bagShare));
  const results: RankerResult[] = [];
  for (let b = 0; b < p.bags; b++) {
    const seed = p.seed + b * BAG_SEED_STRIDE;
    const members = shuffleInPlace(Int32Array.from({ length: nQueries }, (_, q) => q), seededUniform(seed)).slice(0, keep).sort();
    const sample = keep === nQueries ? train : subsetQueries(train, members);
    results.push(trainRanker(sample, valid, { ...p, seed }, (round) => onRound?.((b * p.rounds + round) / p.bags)));
  }
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    forest: averageForests(results.map((r) => r.forest)),
    rounds: Math.round(mean(results.map((r) => r.rounds))),
    validationNdcg: mean(results.map((r) => r.validationNdcg)),
    curve: new Float64Array(0),
  };
}

/** The queries `members` (ascending) of `set`, rows copied. */
export function subsetQueries(set: RankingSet, members: Int32Array): RankingSet {
  let nRows = 0;
  for (const q of members) nRows += set.queryStart[q + 1] - set.queryStart[q];
  const columns = set.columns.map(() => new Float64Array(nRows));
  const labels = new Uint8Array(nRows);
  const queryStart = new Int32Array(members.length + 1);
  let at = 0;
  members.forEach((q, j) => {
    const from = set.queryStart[q];
    const to = set.queryStart[q + 1];
    set.columns.forEach((col, f) => columns[f].set(col.subarray(from, to), at));
    labels.set(set.labels.subarray(from, to), at);
    at += to - from;
    queryStart[j + 1] = at;
  });
  return { columns, labels, queryStart };
}

/** One forest scoring the mean of `forests`' raw scores: all their trees, leaf values and bases divided by their number. */
export function averageForests(forests: readonly Forest[]): Forest {
  if (forests.length === 1) return forests[0];
  const share = 1 / forests.length;
  const nodes = forests.reduce((n, f) => n + f.nodeFeature.length, 0);
  const trees = forests.reduce((n, f) => n + f.treeRoot.length, 0);
  const out: Forest = {
    nClasses: 1, nFeatures: forests[0].nFeatures, base: Float64Array.of(forests.reduce((s, f) => s + f.base[0], 0) * share),
    treeRoot: new Int32Array(trees), nodeFeature: new Int32Array(nodes), nodeThreshold: new Float64Array(nodes),
    nodeNanLeft: new Uint8Array(nodes), nodeLeft: new Int32Array(nodes), nodeRight: new Int32Array(nodes), nodeValue: new Float64Array(nodes),
  };
  let nodeAt = 0;
  let treeAt = 0;
  for (const f of forests) {
    for (let t = 0; t < f.treeRoot.length; t++) out.treeRoot[treeAt++] = f.treeRoot[t] + nodeAt;
    out.nodeFeature.set(f.nodeFeature, nodeAt);
    out.nodeThreshold.set(f.nodeThreshold, nodeAt);
    out.nodeNanLeft.set(f.nodeNanLeft, nodeAt);
    for (let k = 0; k < f.nodeFeature.length; k++) {
      // leaves point nowhere (−1) and stay so
      out.nodeLeft[nodeAt + k] = f.nodeLeft[k] < 0 ? f.nodeLeft[k] : f.nodeLeft[k] + nodeAt;
      out.nodeRight[nodeAt + k] = f.nodeRight[k] < 0 ? f.nodeRight[k] : f.nodeRight[k] + nodeAt;
      out.nodeValue[nodeAt + k] = f.nodeValue[k] * share;
    }
    nodeAt += f.nodeFeature.length;
  }
  return out;
}
