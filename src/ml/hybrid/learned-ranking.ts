/**
 * One of the hybrid's rankings, learned and judged: boosted trees trained on one shape of inner
 * split, compared on its guard members with each component ranking alone (guard.ts), then — when the
 * trees win — refitted with the guard members too. A hybrid holds two: `current` for questions asked
 * at or after the training clock (learned from the global folds: everyone asked at one clock), and
 * `past` for questions asked before it (learned from the member-time fold: each member asked at their
 * own last time, when items that appeared later are already in the catalogue — user-time's shape).
 */
import type { Forest } from '../fit/gbdt/forest.ts';
import { trainBagged } from './bagged-ranker.ts';
import type { RankerResult, RankingSet } from './boosted-ranker.ts';
import { trainCrossFitted } from './cross-fitted-ranker.ts';
import { judgeRankings, type GuardVerdict, type Ranking } from './guard.ts';
import type { HybridParams } from './params.ts';
import type { Blend } from './rank-blend.ts';
import { concatSets } from './ranking-rows.ts';

/** The rows one ranking learns from (training-set.ts). */
export interface LearnerSets {
  train: RankingSet;
  valid?: RankingSet;
  guard?: RankingSet;
  guardTrain?: RankingSet;
}

export interface LearnedRanking {
  forest: Forest;
  ranking: Ranking;
  /** with ranking 'blend': the component and its weight */
  blend?: Blend;
  verdict: GuardVerdict;
  rounds: number;
  validationNdcg: number;
}

/**
 * Learns a forest from `sets` (the rows of `questions`, named in the log), lets the guard choose
 * between it, the components and `clockForest` (the past ranking may borrow the clock's forest when
 * that one ranks past questions better: it learned from more members), refits a winning forest.
 */
export function learnRanking(
  sets: LearnerSets, p: HybridParams, questions: string, onRound?: (fraction: number, label: string) => void, clockForest?: Forest,
): LearnedRanking {
  let learned = trainLearner(sets.train, sets.valid, p, (round) => onRound?.(0.5 * (round / p.rounds), 'learner'));
  const verdict = judgeRankings(learned.forest, sets.guard, clockForest, p.guardBlend);
  onRound?.(0.5, `${questions}: ${guardLabel(verdict)}`);
  // a blend keeps its weight on the refitted forest: the weight was tuned on the guard members, which the refit then learns from
  if (sets.guardTrain && (verdict.ranking === 'forest' || verdict.ranking === 'blend')) {
    learned = trainLearner(concatSets([sets.train, sets.guardTrain]), sets.valid, p, (round) => onRound?.(0.5 + 0.5 * (round / p.rounds), 'learner, refitted with the guard members'));
  }
  const forest = verdict.ranking === 'clock-forest' && clockForest ? clockForest : learned.forest;
  return { forest, ranking: verdict.ranking, ...(verdict.blend ? { blend: verdict.blend } : {}), verdict, rounds: learned.rounds, validationNdcg: learned.validationNdcg };
}

/** Cross-fitted forests (`innerFolds` ≥ 2; `valid` unused: every member is held out once) or bagged ones. */
function trainLearner(train: RankingSet, valid: RankingSet | undefined, p: HybridParams, onRound?: (round: number) => void): RankerResult {
  return p.innerFolds >= 2 ? trainCrossFitted(train, p.innerFolds, p, onRound) : trainBagged(train, valid, p, onRound);
}

/** The training log's line for a verdict, e.g. "ranking by ease (inner NDCG@10 on 812 held-out members: forest 0.0101, ease 0.0123, …)". */
export function guardLabel(verdict: GuardVerdict): string {
  const scores = Object.entries(verdict.ndcg).map(([name, x]) => `${name} ${(x as number).toFixed(4)}`).join(', ');
  const blend = verdict.blend ? ` (${verdict.blend.component}, weight ${verdict.blend.weight})` : '';
  const scan = verdict.blends ? `; blends with the best component by weight: ${Object.entries(verdict.blends).map(([w, x]) => `${w} ${x.toFixed(4)}`).join(', ')}` : '';
  return `ranking by ${verdict.ranking}${blend}${scores ? ` (inner NDCG@10 on ${verdict.members} held-out members: ${scores}${scan})` : ' (no held-out members to compare on)'}`;
}
