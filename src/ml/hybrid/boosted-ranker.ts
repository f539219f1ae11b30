/**
 * The hybrid's learner: small gradient-boosted regression trees on binned features, grown by the fit
 * model's histogram tree grower (fit/gbdt), with either of two losses:
 * - `logloss` (the default): pointwise P(rented | features) over each member's candidates;
 * - `lambdarank` (LambdaMART, Burges 2010): per member, every (rented, not rented) candidate pair pulls
 *   the two apart with weight |ΔNDCG| of swapping them.
 * Why trees and not logistic regression: the signal is in interactions (popularity matters within the
 * member's size; cold members lean on trends, active ones on their history; an old item counts only
 * if still rented), which a linear model needs hand-made crosses for, and trees are blind to feature
 * scales that drift between the inner clock and serving. The price: a forest is less transparent and
 * costs trees × depth per candidate at serving (≈ 1–2 ms per member for ~400 candidates, 100 trees).
 * Why logloss by default: on RTR both reach about the same NDCG@10 with 100 rounds (0.0156 vs 0.0157),
 * logloss is cheaper per round and was steadier across seeds, and LambdaMART early-stopped on a few
 * hundred held-out members stopped erratically (5–150 rounds; NDCG 0.012–0.016).
 * With `validation`, the rounds kept are those with the best NDCG@10 on held-out members. Deterministic by seed.
 */
import { binCounts, binRows, fitBinner } from '../fit/gbdt/binning.ts';
import { flattenTrees } from '../fit/gbdt/flatten-trees.ts';
import type { Forest } from '../fit/gbdt/forest.ts';
import { growTree, HistogramPool, type GrownTree } from '../fit/gbdt/grow-tree.ts';
import { seededUniform } from '../common/rng.ts';
import { shuffleInPlace } from '../fit/seeded-random.ts';
import type { HybridParams } from './params.ts';

/** Labelled rows grouped by member ("query"): rows queryStart[q] … queryStart[q + 1] − 1. */
export interface RankingSet {
  /** feature-major columns */
  columns: Float64Array[];
  labels: Uint8Array;
  queryStart: Int32Array;
}

/** The learner's part of the hybrid's parameters (documented in params.ts). */
export type RankerParams = Pick<HybridParams,
  'objective' | 'rounds' | 'learningRate' | 'maxLeaves' | 'minLeafRows' | 'leafLambda' | 'featureSample' | 'earlyStoppingRounds' | 'seed'>;

export interface RankerResult {
  forest: Forest;
  rounds: number;
  /** mean NDCG@10 over validation members' candidates at the kept rounds (NaN without validation) */
  validationNdcg: number;
  /** mean NDCG@10 over validation members' candidates after each round grown (empty without validation) */
  curve: Float64Array;
}

const MAX_BINS = 64;
const NDCG_K = 10;

/**
 * Trains the forest on `train`, stopping on `valid` (when given); `keepAll` keeps every round grown
 * (cross-fitting cuts the forests itself, at the rounds best over all its held-out groups).
 */
export function trainRanker(train: RankingSet, valid: RankingSet | undefined, p: RankerParams, onRound?: (round: number) => void, keepAll = false): RankerResult {
  const n = train.labels.length;
  const nF = train.columns.length;
  const binner = fitBinner(train.columns, MAX_BINS);
  const nBins = binCounts(binner);
  const bins = binRows(binner, train.columns);
  const validBins = valid ? binRows(binner, valid.columns) : undefined;
  const base = p.objective === 'logloss' ? logOdds(train.labels) : 0;
  const raw = new Float64Array(n).fill(base);
  const validRaw = new Float64Array(valid?.labels.length ?? 0).fill(base);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const random = seededUniform(p.seed);
  const allRows = Int32Array.from({ length: n }, (_, k) => k);
  const allFeatures = Int32Array.from({ length: nF }, (_, f) => f);
  const nSampled = Math.max(1, Math.round(nF * p.featureSample));
  let histBins = 0;
  for (let f = 0; f < nF; f++) histBins += nBins[f];
  const pool = new HistogramPool(histBins * 3);
  const treeParams = { maxLeaves: p.maxLeaves, minLeafRows: p.minLeafRows, minLeafHessian: 1e-6, lambda: p.leafLambda, minGain: 0 };
  const trees: GrownTree[] = [];
  let best = { round: 0, ndcg: valid ? meanNdcg(validRaw, valid) : Number.NaN };
  const curve: number[] = [];

  for (let round = 1; round <= p.rounds; round++) {
    if (p.objective === 'logloss') logLossGradients(raw, train.labels, grad, hess);
    else lambdaGradients(raw, train, grad, hess);
    const features = shuffleInPlace(allFeatures.slice(), random).slice(0, nSampled).sort();
    const tree = growTree({ bins, nFeatures: nF, nBins, grad, hess }, allRows.slice(), features, treeParams, pool);
    for (let j = 0; j < tree.value.length; j++) tree.value[j] *= p.learningRate;
    trees.push(tree);
    addTree(tree, bins, nF, raw);
    onRound?.(round);
    if (!valid || !validBins) {
      best = { round, ndcg: Number.NaN };
      continue;
    }
    addTree(tree, validBins, nF, validRaw);
    const ndcg = meanNdcg(validRaw, valid);
    curve.push(ndcg);
    if (ndcg > best.ndcg) best = { round, ndcg };
    else if (round - best.round >= p.earlyStoppingRounds) break;
  }
  const kept = keepAll ? trees.length : best.round;
  return { forest: flattenTrees(trees.slice(0, kept), binner, Float64Array.of(base), 1, nF), rounds: kept, validationNdcg: best.ndcg, curve: Float64Array.from(curve) };
}

/** Raw scores of `count` rows given row-major (`rows[k · nFeatures + f]`). */
export function scoreRows(forest: Forest, rows: Float32Array, count: number): Float64Array {
  const nF = forest.nFeatures;
  const out = new Float64Array(count).fill(forest.base[0]);
  const { treeRoot, nodeFeature, nodeThreshold, nodeNanLeft, nodeLeft, nodeRight, nodeValue } = forest;
  for (let k = 0; k < count; k++) {
    const at = k * nF;
    let s = out[k];
    for (let t = 0; t < treeRoot.length; t++) {
      let node = treeRoot[t];
      for (;;) {
        const f = nodeFeature[node];
        if (f < 0) break;
        const x = rows[at + f];
        const left = Number.isNaN(x) ? nodeNanLeft[node] === 1 : x <= nodeThreshold[node];
        node = left ? nodeLeft[node] : nodeRight[node];
      }
      s += nodeValue[node];
    }
    out[k] = s;
  }
  return out;
}

/** Total gain-free importance: how many splits use each feature. */
export function splitCounts(forest: Forest): Int32Array {
  const counts = new Int32Array(forest.nFeatures);
  for (const f of forest.nodeFeature) if (f >= 0) counts[f]++;
  return counts;
}

function logOdds(labels: Uint8Array): number {
  let pos = 0;
  for (const y of labels) pos += y;
  return Math.log((pos + 1) / (labels.length - pos + 1));
}

function logLossGradients(raw: Float64Array, labels: Uint8Array, grad: Float64Array, hess: Float64Array): void {
  for (let k = 0; k < raw.length; k++) {
    const prob = 1 / (1 + Math.exp(-raw[k]));
    grad[k] = prob - labels[k];
    hess[k] = Math.max(prob * (1 - prob), 1e-6);
  }
}

/** LambdaMART gradients for binary relevance: pairs (rented, not rented) weighted by |ΔNDCG|. */
function lambdaGradients(raw: Float64Array, set: RankingSet, grad: Float64Array, hess: Float64Array): void {
  grad.fill(0);
  hess.fill(0);
  for (let q = 0; q + 1 < set.queryStart.length; q++) {
    const start = set.queryStart[q];
    const end = set.queryStart[q + 1];
    const order = Int32Array.from({ length: end - start }, (_, j) => start + j).sort((a, b) => raw[b] - raw[a] || a - b);
    const discount = new Float64Array(end - start);
    let nPos = 0;
    order.forEach((row, r) => {
      discount[row - start] = 1 / Math.log2(r + 2);
      nPos += set.labels[row];
    });
    if (nPos === 0 || nPos === end - start) continue;
    let ideal = 0;
    for (let r = 0; r < nPos; r++) ideal += 1 / Math.log2(r + 2);
    for (let i = start; i < end; i++) {
      if (set.labels[i] !== 1) continue;
      for (let j = start; j < end; j++) {
        if (set.labels[j] !== 0) continue;
        const delta = Math.abs(discount[i - start] - discount[j - start]) / ideal;
        const rho = 1 / (1 + Math.exp(raw[i] - raw[j]));
        const w = rho * delta;
        grad[i] -= w;
        grad[j] += w;
        const h = Math.max(rho * (1 - rho) * delta, 1e-9);
        hess[i] += h;
        hess[j] += h;
      }
    }
  }
}

/** Mean NDCG@10 over queries with a positive, ranking each query's rows by `raw`. */
export function meanNdcg(raw: Float64Array, set: RankingSet): number {
  let sum = 0;
  let count = 0;
  for (let q = 0; q + 1 < set.queryStart.length; q++) {
    const start = set.queryStart[q];
    const end = set.queryStart[q + 1];
    let nPos = 0;
    for (let k = start; k < end; k++) nPos += set.labels[k];
    if (nPos === 0) continue;
    const order = Int32Array.from({ length: end - start }, (_, j) => start + j).sort((a, b) => descending(raw[a], raw[b]) || a - b);
    let dcg = 0;
    for (let r = 0; r < Math.min(NDCG_K, order.length); r++) if (set.labels[order[r]]) dcg += 1 / Math.log2(r + 2);
    let ideal = 0;
    for (let r = 0; r < Math.min(NDCG_K, nPos); r++) ideal += 1 / Math.log2(r + 2);
    sum += dcg / ideal;
    count++;
  }
  return count > 0 ? sum / count : 0;
}

/** Sort order of scores, highest first, NaN last. */
function descending(a: number, b: number): number {
  const x = Number.isNaN(a) ? -Infinity : a;
  const y = Number.isNaN(b) ? -Infinity : b;
  return x === y ? 0 : y > x ? 1 : -1;
}

function addTree(tree: GrownTree, bins: Uint8Array, nF: number, raw: Float64Array): void {
  for (let k = 0; k < raw.length; k++) {
    let node = 0;
    while (tree.feature[node] >= 0) {
      const b = bins[k * nF + tree.feature[node]];
      const left = b === 0 ? tree.nanLeft[node] : b <= tree.thresholdBin[node];
      node = left ? tree.left[node] : tree.right[node];
    }
    raw[k] += tree.value[node];
  }
}

