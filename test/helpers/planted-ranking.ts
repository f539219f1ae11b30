/**
 * A planted ranking problem for the hybrid's learners (bagging, cross-fitting): 3 features, 40
 * candidates per member, a candidate rented with probability sigmoid(3·x0 − 2·x1 − 2) (x2 is noise),
 * so a forest learns a noisy but real ranking.
 */
import { seededUniform } from '../../src/ml/common/rng.ts';
import type { Forest } from '../../src/ml/fit/gbdt/forest.ts';
import { scoreRows, type RankingSet } from '../../src/ml/hybrid/boosted-ranker.ts';

export function plantedRanking(members: number, seed: number): RankingSet {
  const random = seededUniform(seed);
  const n = members * 40;
  const columns = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const labels = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    for (const col of columns) col[k] = random();
    labels[k] = random() < 1 / (1 + Math.exp(-(3 * columns[0][k] - 2 * columns[1][k] - 2))) ? 1 : 0;
  }
  return { columns, labels, queryStart: Int32Array.from({ length: members + 1 }, (_, q) => q * 40) };
}

/** The forest's raw score of every row of `set`. */
export function forestScores(forest: Forest, set: RankingSet): Float64Array {
  const n = set.labels.length;
  const nF = set.columns.length;
  const rows = new Float32Array(n * nF);
  set.columns.forEach((col, f) => col.forEach((x, k) => (rows[k * nF + f] = x)));
  return scoreRows(forest, rows, n);
}
