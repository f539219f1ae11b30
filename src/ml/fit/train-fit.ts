/**
 * Trains the fit model: (1) history tables, body regression and latent sizes learned out-of-fold, so
 * each training row's features come from the other folds, as a test row's come from all of training;
 * (2) a boosted multiclass forest on those features, early-stopped on a validation set (given, or
 * carved from the training rows); (3) the tables re-learned on all training rows for prediction.
 */
import { VitrineError } from '../../core/errors.ts';
import type { TrainContext } from '../model.ts';
import { alignFitData, schemaOf } from './align-fit-data.ts';
import { checkFitData, type FitData } from './fit-data.ts';
import { fitFeatureColumns, fitFeatureNames } from './fit-features.ts';
import { FitModel, memberAndItemValues } from './fit-model.ts';
import { resolveFitParams, tableParamsOf, type FitParams } from './fit-params.ts';
import { learnFitTables } from './fit-tables.ts';
import { trainForest, type BoostValidation } from './gbdt/boost.ts';
import { seededRandom, shuffleInPlace } from './seeded-random.ts';

export interface FitTrainContext extends TrainContext {
  /** held-out rentals for early stopping (never the test set) */
  validation?: FitData;
  /** score to maximise on validation class probabilities (default: minus log-loss) */
  validationScore?: (probs: Float64Array, labels: Int8Array) => number;
}

/** Trains a fit model on `data`; deterministic for the same data, params and seed. */
export function trainFitModel(data: FitData, given?: Partial<FitParams>, ctx: FitTrainContext = {}): FitModel {
  checkFitData(data);
  const params = resolveFitParams(given);
  const tableParams = tableParamsOf(params);
  const n = data.labels.length;
  const random = seededRandom(params.seed);
  const order = shuffleInPlace(Int32Array.from({ length: n }, (_, k) => k), random);
  const abortIfAsked = (): void => {
    if (ctx.signal?.aborted) throw new VitrineError('VITRINE_MODEL_ABORTED', 'fit: training aborted');
  };

  // without a validation set, the booster learns from `fitRows` and stops early on the rest
  const nHeld = ctx.validation ? 0 : Math.max(1, Math.round(n * params.validationFraction));
  const heldRows = order.slice(0, nHeld).sort();
  const fitRows = order.slice(nHeld).sort();

  const names = fitFeatureNames(data);
  const columns = names.map(() => new Float64Array(fitRows.length));
  const foldOf = new Int32Array(fitRows.length);
  shuffleInPlace(Int32Array.from({ length: fitRows.length }, (_, j) => j % params.folds), random).forEach((f, j) => (foldOf[j] = f));
  for (let f = 0; f < params.folds; f++) {
    abortIfAsked();
    ctx.onProgress?.(f / (params.folds + 2), `fit: out-of-fold features ${f + 1}/${params.folds}`);
    const positions = [...foldOf.keys()].filter((j) => foldOf[j] === f);
    const reference = Int32Array.from([...foldOf.keys()].filter((j) => foldOf[j] !== f), (j) => fitRows[j]);
    const tables = learnFitTables(data, reference, tableParams);
    const foldCols = fitFeatureColumns(tables, data, params.smoothing, positions.map((j) => fitRows[j]));
    foldCols.forEach((col, c) => positions.forEach((j, m) => (columns[c][j] = col[m])));
  }

  abortIfAsked();
  ctx.onProgress?.(params.folds / (params.folds + 2), 'fit: tables on all training rows');
  const tables = learnFitTables(data, fitRows, tableParams);
  const vocab = {
    userIds: data.userIds, itemIds: data.itemIds, columns: schemaOf(data),
    userIndex: new Map(data.userIds.map((id, j) => [id, j])), itemIndex: new Map(data.itemIds.map((id, j) => [id, j])),
  };
  let validation: BoostValidation;
  if (ctx.validation) {
    const aligned = alignFitData(ctx.validation, vocab);
    validation = { columns: fitFeatureColumns(tables, aligned, params.smoothing), labels: aligned.labels, score: ctx.validationScore };
  } else {
    validation = { columns: fitFeatureColumns(tables, data, params.smoothing, heldRows), labels: pick(data.labels, heldRows), score: ctx.validationScore };
  }

  const labels = pick(data.labels, fitRows);
  const boosted = trainForest(columns, labels, 3, params, validation, (round) => {
    abortIfAsked();
    ctx.onProgress?.((params.folds + 1 + round / params.rounds) / (params.folds + 2), `fit: boosting round ${round}`);
  });
  // the held-out rows join the tables the model predicts from
  const finalTables = nHeld > 0 ? learnFitTables(data, order.slice().sort(), tableParams) : tables;
  const { memberValues, itemValues } = memberAndItemValues(data);
  return new FitModel({
    vocab, tables: finalTables, forest: boosted.forest, params, featureNames: names, memberValues, itemValues,
    info: { rounds: boosted.rounds, validationScore: boosted.validationScore, nRows: n, createdAt: ctx.now ?? Date.now() },
  });
}

function pick(src: Int8Array, rows: Int32Array): Int8Array {
  return Int8Array.from(rows, (k) => src[k]);
}
