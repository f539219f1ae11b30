/** Training parameters of the fit model, their defaults (tuned on RTR validation splits) and checks. */
import { CEILING, intIn, nonNegative, positive, resolveParams, type ParamRule } from '../common/params.ts';
import { BOOST_DEFAULTS, type BoostParams } from './gbdt/boost.ts';
import type { FitTableParams } from './fit-tables.ts';
import { LATENT_SIZE_DEFAULTS } from './latent-size.ts';

export interface FitParams extends BoostParams {
  /** out-of-fold folds for the training rows' history features */
  folds: number;
  /** share of the training rows held out for early stopping when no validation set is given */
  validationFraction: number;
  smoothing: number;
  bodyRidge: number;
  latentLambdaUser: number;
  latentLambdaItem: number;
  latentEpochs: number;
  latentLearningRate: number;
  /** 1: anchor member sizes at their mean rented size (the default); 0: at the global mean */
  latentAnchorMembers: number;
  [key: string]: number;
}

export const FIT_DEFAULTS: Readonly<FitParams> = Object.freeze({
  ...BOOST_DEFAULTS,
  folds: 5,
  validationFraction: 0.1,
  smoothing: 5,
  bodyRidge: 1,
  latentLambdaUser: LATENT_SIZE_DEFAULTS.lambdaUser,
  latentLambdaItem: LATENT_SIZE_DEFAULTS.lambdaItem,
  latentEpochs: LATENT_SIZE_DEFAULTS.epochs,
  latentLearningRate: LATENT_SIZE_DEFAULTS.learningRate,
  latentAnchorMembers: 1,
});

const fraction: ParamRule = (v) => (typeof v === 'number' && v > 0 && v <= 1 ? undefined : 'must be in (0, 1]');

/** Defaults merged with `given`; VITRINE_MODEL_BAD_PARAMS on unknown keys or bad values. */
export function resolveFitParams(given?: Partial<FitParams>): FitParams {
  return resolveParams<FitParams>('fit', { ...FIT_DEFAULTS }, given, {
    rounds: intIn(1, CEILING.rounds), learningRate: positive(), maxLeaves: intIn(2, CEILING.leaves), minLeafRows: intIn(1, 10_000_000),
    minLeafHessian: nonNegative, lambda: nonNegative, minGain: nonNegative, rowSample: fraction, featureSample: fraction,
    maxBins: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 2 && v <= 256 ? undefined : 'must be an integer in 2..256'),
    earlyStoppingRounds: intIn(1, CEILING.rounds), evalEvery: intIn(1, CEILING.rounds), seed: intIn(0, Number.MAX_SAFE_INTEGER), folds: intIn(2, 20),
    validationFraction: (v) => (typeof v === 'number' && v > 0 && v < 1 ? undefined : 'must be in (0, 1)'),
    smoothing: nonNegative, bodyRidge: nonNegative, latentLambdaUser: nonNegative, latentLambdaItem: nonNegative,
    latentEpochs: intIn(0, CEILING.iterations), latentLearningRate: positive(),
    latentAnchorMembers: (v) => (v === 0 || v === 1 ? undefined : 'must be 0 or 1'),
  });
}

/** The table-learning part of the parameters. */
export function tableParamsOf(p: FitParams): FitTableParams {
  return {
    smoothing: p.smoothing,
    bodyRidge: p.bodyRidge,
    latent: {
      ...LATENT_SIZE_DEFAULTS,
      lambdaUser: p.latentLambdaUser, lambdaItem: p.latentLambdaItem, epochs: p.latentEpochs, learningRate: p.latentLearningRate,
      anchorMembers: p.latentAnchorMembers === 1,
    },
  };
}
