/**
 * Implicit ALS hyper-parameters (Hu, Koren & Volinsky 2008; defaults after EVALUATION.md's ALS row and
 * implicit's AlternatingLeastSquares), validated once before training.
 */
import { CEILING, intIn, nonNegative, oneOf, resolveParams, seedRule } from '../common/params.ts';

export type AlsSolver = 'cg' | 'exact';

export type AlsParams = {
  /** latent dimension */
  factors: number;
  /** λ, added to the diagonal of every normal equation */
  regularization: number;
  /** confidence of an interaction = 1 + alpha · weight */
  alpha: number;
  iterations: number;
  /** conjugate-gradient steps per row solve (solver 'cg' only) */
  cgSteps: number;
  /** seeds the initial factors: same seed, same factors, whatever the thread count */
  seed: number;
  /** 'cg' as implicit's least_squares_cg (fast); 'exact' = a Cholesky solve per row (the reference) */
  solver: AlsSolver;
  /** worker threads; 0 = automatic (the calling thread for small data, else up to 2 workers) */
  threads: number;
};

export const ALS_DEFAULTS: Readonly<AlsParams> = Object.freeze({
  factors: 64,
  regularization: 0.1,
  alpha: 20,
  iterations: 15,
  cgSteps: 3,
  seed: 42,
  solver: 'cg',
  threads: 0,
});

const RULES = {
  factors: intIn(1, CEILING.factors),
  regularization: nonNegative,
  alpha: nonNegative,
  iterations: intIn(0, CEILING.iterations),
  cgSteps: intIn(1, 100),
  seed: seedRule,
  solver: oneOf('cg', 'exact'),
  threads: intIn(0, CEILING.threads),
};

/** Merges `params` over the defaults; bad values throw VITRINE_MODEL_BAD_PARAMS. */
export function resolveAlsParams(params?: Partial<AlsParams>): AlsParams {
  return resolveParams('als', { ...ALS_DEFAULTS }, params, RULES);
}
