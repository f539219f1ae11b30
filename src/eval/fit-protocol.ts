/**
 * The fit protocol (EVALUATION.md): rentals with fit feedback, split at random 80/10/10 into train,
 * validation and test per seed; the model learns from train (validation only for early stopping),
 * predicts P(small), P(fit), P(large) for test; the metric is the mean of the three one-vs-rest AUCs,
 * averaged over seeds. Beside the model it scores a one-latent-size baseline (member size + item
 * offset + ordinal logit, like Misra et al.'s K-LV with one dimension) on the same splits.
 */
import { selectFitRows, type FitData } from '../ml/fit/fit-data.ts';
import type { FitParams } from '../ml/fit/fit-params.ts';
import { LATENT_SIZE_DEFAULTS, latentZ, ordinalProbs, trainLatentSizes } from '../ml/fit/latent-size.ts';
import { seededRandom, shuffleInPlace } from '../ml/fit/seeded-random.ts';
import { trainFitModel } from '../ml/fit/train-fit.ts';
import { oneVsRestAuc } from './metrics/auc.ts';

/** Misra, Wan & McAuley, RecSys 2018, mean AUC on the same task and data. */
export const MISRA_2018_ANCHORS = { '1-LV-LR': 0.61, 'K-LV-LR': 0.676, 'K-LF-ML': 0.719 } as const;
export const MISRA_2018_CITATION =
  'R. Misra, M. Wan, J. McAuley, "Decomposing fit semantics for product size recommendation in metric spaces", RecSys 2018';

export interface FitSplit {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

export interface FitSeedResult {
  seed: number;
  /** mean one-vs-rest AUC on test */
  auc: number;
  /** small, fit, large */
  perClass: number[];
  baselineAuc: number;
  baselinePerClass: number[];
  /** the early-stopping score (mean AUC on validation) at the rounds kept */
  validationAuc: number;
  rounds: number;
  trainSeconds: number;
  sizes: { train: number; validation: number; test: number };
}

export interface FitProtocolResult {
  auc: number;
  perSeed: number[];
  perClass: number[];
  baseline: { auc: number; perSeed: number[] };
  seeds: FitSeedResult[];
  anchors: typeof MISRA_2018_ANCHORS;
}

/** A random 80/10/10 split of n rows, the same for the same seed. */
export function splitFitRows(n: number, seed: number): FitSplit {
  const order = shuffleInPlace(Int32Array.from({ length: n }, (_, k) => k), seededRandom(seed));
  const a = Math.floor(0.8 * n);
  const b = Math.floor(0.9 * n);
  return { train: order.slice(0, a).sort(), validation: order.slice(a, b).sort(), test: order.slice(b).sort() };
}

/** Mean one-vs-rest AUC of n × 3 probabilities (higher is better): the early-stopping score. */
export function meanFitAuc(probs: Float64Array, labels: Int8Array): number {
  return oneVsRestAuc(probs, labels, 3).mean;
}

/** Runs the protocol for each seed; `onSeed` reports each seed as it finishes. */
export function runFitProtocol(
  data: FitData, seeds: number[], params: Partial<FitParams> = {}, onSeed?: (r: FitSeedResult) => void,
): FitProtocolResult {
  const results: FitSeedResult[] = [];
  for (const seed of seeds) {
    const split = splitFitRows(data.labels.length, seed);
    const train = selectFitRows(data, split.train);
    const validation = selectFitRows(data, split.validation);
    const test = selectFitRows(data, split.test);
    const began = performance.now();
    const model = trainFitModel(train, { ...params, seed }, { validation, validationScore: meanFitAuc });
    const trainSeconds = (performance.now() - began) / 1000;
    const scored = oneVsRestAuc(model.predictRows(test), test.labels, 3);
    const baseline = oneVsRestAuc(latentBaselineProbs(train, test), test.labels, 3);
    const r: FitSeedResult = {
      seed, auc: scored.mean, perClass: scored.perClass, baselineAuc: baseline.mean, baselinePerClass: baseline.perClass,
      validationAuc: model.parts.info.validationScore, rounds: model.parts.info.rounds, trainSeconds,
      sizes: { train: split.train.length, validation: split.validation.length, test: split.test.length },
    };
    results.push(r);
    onSeed?.(r);
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return {
    auc: mean(results.map((r) => r.auc)),
    perSeed: results.map((r) => r.auc),
    perClass: [0, 1, 2].map((c) => mean(results.map((r) => r.perClass[c]))),
    baseline: { auc: mean(results.map((r) => r.baselineAuc)), perSeed: results.map((r) => r.baselineAuc) },
    seeds: results,
    anchors: MISRA_2018_ANCHORS,
  };
}

/** Test probabilities of the latent-size baseline trained on `train` alone (no other columns). */
export function latentBaselineProbs(train: FitData, test: FitData): Float64Array {
  const latent = trainLatentSizes(train, train.userIds.length, train.itemIds.length, LATENT_SIZE_DEFAULTS);
  const out = new Float64Array(test.labels.length * 3);
  const p = new Float64Array(3);
  for (let k = 0; k < test.labels.length; k++) {
    ordinalProbs(latent, latentZ(latent, test.users[k], test.items[k], test.sizes[k]), p);
    out.set(p, k * 3);
  }
  return out;
}
