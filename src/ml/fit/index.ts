/** The fit model's public API: train on FitData, predict P(small/fit/large), save and load. */
export { FIT_CLASSES, checkFitData, selectFitRows, type FitColumn, type FitData } from './fit-data.ts';
export { FitModel, type FitFeatureValues, type FitProbabilities } from './fit-model.ts';
export { FIT_ALGORITHM, FIT_FORMAT_VERSION } from './fit-model-codec.ts';
export { FIT_DEFAULTS, resolveFitParams, type FitParams } from './fit-params.ts';
export { fitDataFromInteractions } from './from-interactions.ts';
export { cupOrdinal, normaliseSize } from './size-normaliser.ts';
export { trainFitModel, type FitTrainContext } from './train-fit.ts';
