/**
 * Multiclass gradient boosting (softmax log-loss, one tree per class per round) on binned features,
 * with row and feature subsampling and early stopping on a validation set: the forest keeps the
 * rounds up to the best validation score. Deterministic by seed.
 */
import { seededRandom, shuffleInPlace } from '../seeded-random.ts';
import { binCounts, binRows, fitBinner } from './binning.ts';
import { flattenTrees } from './flatten-trees.ts';
import type { Forest } from './forest.ts';
import { growTree, HistogramPool, type GrownTree } from './grow-tree.ts';

export interface BoostParams {
  rounds: number;
  learningRate: number;
  maxLeaves: number;
  minLeafRows: number;
  minLeafHessian: number;
  lambda: number;
  minGain: number;
  /** fraction of rows each round sees */
  rowSample: number;
  /** fraction of features each tree sees */
  featureSample: number;
  maxBins: number;
  /** stop when the validation score has not improved for this many rounds */
  earlyStoppingRounds: number;
  /** score the validation set every this many rounds */
  evalEvery: number;
  seed: number;
}

export const BOOST_DEFAULTS: BoostParams = {
  rounds: 400, learningRate: 0.1, maxLeaves: 31, minLeafRows: 100, minLeafHessian: 1e-3, lambda: 1, minGain: 0,
  rowSample: 0.7, featureSample: 0.8, maxBins: 64, earlyStoppingRounds: 40, evalEvery: 5, seed: 1,
};

/** Held-out rows for early stopping and the score to maximise on their class probabilities. */
export interface BoostValidation {
  columns: Float64Array[];
  labels: Int8Array;
  /** higher is better; defaults to minus the mean log-loss */
  score?: (probs: Float64Array, labels: Int8Array) => number;
}

export interface BoostResult {
  forest: Forest;
  /** rounds kept */
  rounds: number;
  /** validation score at the rounds kept (NaN without validation) */
  validationScore: number;
}

/** Trains a forest on feature-major `columns` and labels 0…nClasses−1. */
export function trainForest(
  columns: Float64Array[], labels: Int8Array, nClasses: number, params: BoostParams,
  validation?: BoostValidation, onRound?: (round: number) => void,
): BoostResult {
  const n = labels.length;
  const F = columns.length;
  const K = nClasses;
  const binner = fitBinner(columns, params.maxBins);
  const nBins = binCounts(binner);
  const bins = binRows(binner, columns);
  const validBins = validation ? binRows(binner, validation.columns) : undefined;
  const nValid = validation ? validation.labels.length : 0;
  const score = validation?.score ?? negativeLogLoss;

  const base = logPrior(labels, K);
  const raw = new Float64Array(n * K);
  const validRaw = new Float64Array(nValid * K);
  for (let k = 0; k < n; k++) raw.set(base, k * K);
  for (let k = 0; k < nValid; k++) validRaw.set(base, k * K);

  const grads = Array.from({ length: K }, () => new Float64Array(n));
  const hesses = Array.from({ length: K }, () => new Float64Array(n));
  const probs = new Float64Array(K);
  const random = seededRandom(params.seed);
  const allRows = Int32Array.from({ length: n }, (_, k) => k);
  const allFeatures = Int32Array.from({ length: F }, (_, f) => f);
  const nRows = Math.max(1, Math.round(n * params.rowSample));
  const nFeat = Math.max(1, Math.round(F * params.featureSample));
  let histBins = 0;
  for (let f = 0; f < F; f++) histBins += nBins[f];
  const pool = new HistogramPool(histBins * 3);
  const treeParams = { ...params };
  const trees: GrownTree[] = [];
  let best = { round: 0, score: -Infinity };

  for (let round = 1; round <= params.rounds; round++) {
    for (let k = 0; k < n; k++) {
      softmaxInto(raw, k * K, K, probs);
      for (let c = 0; c < K; c++) {
        const p = probs[c];
        grads[c][k] = p - (labels[k] === c ? 1 : 0);
        hesses[c][k] = Math.max(p * (1 - p), 1e-6);
      }
    }
    const sampled = shuffleInPlace(allRows, random).slice(0, nRows).sort();
    for (let c = 0; c < K; c++) {
      const features = shuffleInPlace(allFeatures, random).slice(0, nFeat).sort();
      const tree = growTree({ bins, nFeatures: F, nBins, grad: grads[c], hess: hesses[c] }, sampled.slice(), features, treeParams, pool);
      for (let j = 0; j < tree.value.length; j++) tree.value[j] *= params.learningRate;
      trees.push(tree);
      addTreeToScores(tree, bins, F, raw, c, K);
      if (validBins) addTreeToScores(tree, validBins, F, validRaw, c, K);
    }
    onRound?.(round);
    if (!validation) {
      best = { round, score: Number.NaN };
      continue;
    }
    if (round % params.evalEvery === 0 || round === params.rounds) {
      const p = Float64Array.from(validRaw);
      softmaxAll(p, K);
      const s = score(p, validation.labels);
      if (s > best.score) best = { round, score: s };
      else if (round - best.round >= params.earlyStoppingRounds) break;
    }
  }
  return { forest: flattenTrees(trees.slice(0, best.round * K), binner, base, K, F), rounds: best.round, validationScore: best.score };
}

function addTreeToScores(tree: GrownTree, bins: Uint8Array, F: number, raw: Float64Array, c: number, K: number): void {
  const n = raw.length / K;
  for (let k = 0; k < n; k++) {
    let node = 0;
    while (tree.feature[node] >= 0) {
      const b = bins[k * F + tree.feature[node]];
      const left = b === 0 ? tree.nanLeft[node] : b <= tree.thresholdBin[node];
      node = left ? tree.left[node] : tree.right[node];
    }
    raw[k * K + c] += tree.value[node];
  }
}

function logPrior(labels: Int8Array, K: number): Float64Array {
  const counts = new Float64Array(K).fill(1);
  for (let k = 0; k < labels.length; k++) counts[labels[k]]++;
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => Math.log(c / total));
}

function softmaxInto(raw: Float64Array, at: number, K: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < K; c++) max = Math.max(max, raw[at + c]);
  let sum = 0;
  for (let c = 0; c < K; c++) sum += (out[c] = Math.exp(raw[at + c] - max));
  for (let c = 0; c < K; c++) out[c] /= sum;
}

function softmaxAll(raw: Float64Array, K: number): void {
  const tmp = new Float64Array(K);
  for (let at = 0; at < raw.length; at += K) {
    softmaxInto(raw, at, K, tmp);
    raw.set(tmp, at);
  }
}

/** Minus the mean log-loss of row-major class probabilities. */
export function negativeLogLoss(probs: Float64Array, labels: Int8Array): number {
  const K = probs.length / Math.max(1, labels.length);
  let loss = 0;
  for (let k = 0; k < labels.length; k++) loss -= Math.log(Math.max(probs[k * K + labels[k]], 1e-15));
  return -loss / Math.max(1, labels.length);
}
