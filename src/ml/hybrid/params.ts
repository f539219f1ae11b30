/**
 * The `hybrid` ranker's parameters: how the inner time split is cut, how many candidates each source
 * contributes, which component models run, and the boosted trees' settings. Validated once.
 */
import { CEILING, intIn, nonNegative, oneOf, positive, positiveUpTo, resolveParams, seedRule, type ParamRule } from '../common/params.ts';
import { featureIndexes } from './features.ts';

export type HybridParams = {
  /** the last `labelDays` of train are the inner label window; components and features see what precedes it */
  labelDays: number;
  /** inner splits stacked back in time (fold f labels [clock − (f+1)·labelDays, clock − f·labelDays)): more labelled members */
  folds: number;
  /** candidates per source (see candidates.ts); the union is the member's pool */
  popularCandidates: number;
  sizeCandidates: number;
  componentCandidates: number;
  categoryCandidates: number;
  /**
   * members (a seeded sample of those with ≥ 5 items) in the member-time inner split, each asked at
   * their own last time as under user-time (member-time-fold.ts); 0 = global folds only
   */
  memberTimeMembers: number;
  /**
   * trailing window of "recent popularity" (the fallback order and the size-band popularity), days;
   * 60 beat 45, 75 and 90 on RTR global-time (bench/results/hybrid-tuning.md)
   */
  recentDays: number;
  /** half-life of the decayed popularity feature, days */
  halfLifeDays: number;
  /** component models: item-knn neighbours (0 = off) */
  knnNeighbours: number;
  /** EASE on the `easeItems` most popular items (0 = off): O(easeItems³), so the full catalogue is not needed */
  easeItems: number;
  easeLambda: number;
  /** implicit ALS factors (0 = off) */
  alsFactors: number;
  alsIterations: number;
  /** content similarity of item features to the member's items (needs item features) */
  content: boolean;
  /** the learner's loss: pointwise log-loss or LambdaMART (NDCG-weighted pairwise) */
  objective: 'logloss' | 'lambdarank';
  rounds: number;
  learningRate: number;
  maxLeaves: number;
  minLeafRows: number;
  /** L2 on leaf values */
  leafLambda: number;
  featureSample: number;
  /** negatives sampled per labelled member (all positives are kept) */
  negativesPerMember: number;
  /**
   * share of labelled members held out to pick the number of rounds by validation NDCG@10 (0 = train
   * on all, `rounds` rounds: on RTR a few hundred held-out members stop too noisily to pay)
   */
  validationShare: number;
  earlyStoppingRounds: number;
  /**
   * forests averaged (bagged-ranker.ts), each with its own seed on a seeded `bagShare` of the training
   * members: cuts the seed-to-seed spread of the learned ranker, at `bags` × its training and scoring time
   */
  bags: number;
  bagShare: number;
  /**
   * share of labelled members (at most 2,000 per split) on which the learned ranker is compared with
   * each component ranking alone and with its blends with the best component (guard.ts); the best
   * ranks. The learner is then refitted with them (a blend keeps its weight).
   */
  guardShare: number;
  /**
   * let the guard also try rank blends of the forest with the best component (rank-blend.ts). Off: on
   * RTR global-time the blends won on the guard members at seeds 42, 7, 1 but lost on the test
   * (0.0157 → 0.0137 at seed 7, 0.0168 → 0.0165 at seed 1; bench/results/hybrid-tuning.md)
   */
  guardBlend: boolean;
  /** comma-separated feature names to leave out (ablations), e.g. "sizePop90,sizeMatch" */
  dropFeatures: string;
  seed: number;
  /**
   * cross-fitting (cross-fitted-ranker.ts): ≥ 2 = that many forests, each learning from all training
   * members but one group, `rounds` picked on their held-out NDCG@10 curve, their mean ranks (replaces
   * `bags`); 0 = one forest of `rounds` rounds. Off: on RTR global-time 5 folds of up to 200 rounds
   * lifted the mean over seeds 42/7/1 from 0.01643 to 0.01678 (target 0.0168) at 8× the
   * learner's CPU and 5× the served trees, and the other columns were not measured (hybrid-tuning.md)
   */
  innerFolds: number;
};

export const HYBRID_DEFAULTS: Readonly<HybridParams> = Object.freeze({
  labelDays: 180,
  folds: 2,
  popularCandidates: 200,
  sizeCandidates: 150,
  componentCandidates: 50,
  categoryCandidates: 50,
  memberTimeMembers: 3000,
  recentDays: 60,
  halfLifeDays: 30,
  knnNeighbours: 100,
  easeItems: 1500,
  easeLambda: 500,
  alsFactors: 0,
  alsIterations: 10,
  content: true,
  objective: 'logloss',
  rounds: 100,
  learningRate: 0.05,
  maxLeaves: 15,
  minLeafRows: 50,
  leafLambda: 1,
  featureSample: 0.8,
  negativesPerMember: 100,
  validationShare: 0,
  earlyStoppingRounds: 30,
  bags: 1,
  bagShare: 0.8,
  guardShare: 0.2,
  guardBlend: false,
  dropFeatures: '',
  seed: 42,
  innerFolds: 0,
});

const integer = (min: number, max: number = CEILING.neighbours): ParamRule => intIn(min, max);
const share: ParamRule = (v) => (typeof v === 'number' && v > 0 && v <= 1 ? undefined : 'must be in (0, 1]');

const RULES = {
  labelDays: positiveUpTo(CEILING.days),
  folds: integer(1, 10),
  popularCandidates: integer(1),
  sizeCandidates: integer(0),
  componentCandidates: integer(0),
  categoryCandidates: integer(0),
  memberTimeMembers: integer(0, 1_000_000),
  recentDays: positiveUpTo(CEILING.days),
  halfLifeDays: positiveUpTo(CEILING.days),
  knnNeighbours: integer(0),
  // EASE costs O(easeItems³)
  easeItems: integer(0, 5000),
  easeLambda: positive(),
  alsFactors: integer(0, CEILING.factors),
  alsIterations: integer(1, CEILING.iterations),
  objective: oneOf('logloss', 'lambdarank'),
  rounds: integer(1, CEILING.rounds),
  learningRate: positive(),
  maxLeaves: integer(2, CEILING.leaves),
  minLeafRows: integer(1, 10_000_000),
  leafLambda: nonNegative,
  featureSample: share,
  negativesPerMember: integer(1),
  validationShare: (v: string | number | boolean) => (typeof v === 'number' && v >= 0 && v < 1 ? undefined : 'must be in [0, 1)'),
  earlyStoppingRounds: integer(1, CEILING.rounds),
  bags: integer(1, 20),
  bagShare: share,
  guardBlend: (v: string | number | boolean) => (typeof v === 'boolean' ? undefined : 'must be true or false'),
  guardShare: (v: string | number | boolean) => (typeof v === 'number' && v >= 0 && v < 1 ? undefined : 'must be in [0, 1)'),
  seed: seedRule,
  dropFeatures: (v: string | number | boolean) => {
    const unknown = featureIndexes(String(v)).unknown;
    return unknown.length === 0 ? undefined : `names unknown features ${unknown.join(', ')}`;
  },
  innerFolds: (v: string | number | boolean) => (v === 0 || (Number.isInteger(v) && (v as number) >= 2 && (v as number) <= 10) ? undefined : 'must be 0 or an integer in [2, 10]'),
};

/** Merges `params` over the defaults; bad values throw VITRINE_MODEL_BAD_PARAMS. */
export function resolveHybridParams(params?: Partial<HybridParams>): HybridParams {
  return resolveParams('hybrid', { ...HYBRID_DEFAULTS }, params, RULES);
}
