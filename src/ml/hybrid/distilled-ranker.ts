/**
 * A compact copy of a large ranker (`foldForests: 'distil'`): one forest fitted by least squares to
 * the large one's raw scores on the training rows (model compression, Buciluǎ, Caruana &
 * Niculescu-Mizil 2006). Why: on RTR the mean of the cross-fitted forests ranks better than any one
 * forest (cross-fitted-ranker.ts) because it averages their noise away, and one forest refitted on
 * every member brings the noise back; the average's scores are a smooth, noise-free target that one
 * forest of the usual size can follow, so serving pays for one forest's trees instead of k.
 * Same growth as the learner (boosted-ranker.ts): binned rows, feature and row sampling, learning rate.
 * TODO(distillation lost on RTR): 0.0154–0.0164 against the mean's 0.0168–0.0171 (hybrid-tuning.md
 * r51–r57): the copy is fitted on the sampled training rows, mostly easy negatives; the teacher's scores
 * on every candidate, or a ranking loss on its order, are untried. Remove if neither helps.
 */
import { binCounts, binRows, fitBinner } from '../fit/gbdt/binning.ts';
import { flattenTrees } from '../fit/gbdt/flatten-trees.ts';
import type { Forest } from '../fit/gbdt/forest.ts';
import { growTree, HistogramPool, type GrownTree } from '../fit/gbdt/grow-tree.ts';
import { seededUniform } from '../common/rng.ts';
import { shuffleInPlace } from '../fit/seeded-random.ts';
import { addTree, MAX_BINS, sampleRows, scoreRows, type RankerParams, type RankingSet } from './boosted-ranker.ts';

/** `rounds` trees whose sum follows `teacher`'s raw score on every row of `train` (squared error). */
export function distilForest(teacher: Forest, train: RankingSet, rounds: number, p: RankerParams): Forest {
  const n = train.labels.length;
  const nF = train.columns.length;
  const target = teacherScores(teacher, train);
  const binner = fitBinner(train.columns, MAX_BINS);
  const nBins = binCounts(binner);
  const bins = binRows(binner, train.columns);
  const base = target.reduce((s, x) => s + x, 0) / Math.max(1, n);
  const raw = new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  // squared error: the Newton step is the mean residual, every row weighs 1
  const hess = new Float64Array(n).fill(1);
  const random = seededUniform(p.seed);
  const allRows = Int32Array.from({ length: n }, (_, k) => k);
  const allFeatures = Int32Array.from({ length: nF }, (_, f) => f);
  const nSampled = Math.max(1, Math.round(nF * p.featureSample));
  let histBins = 0;
  for (let f = 0; f < nF; f++) histBins += nBins[f];
  const pool = new HistogramPool(histBins * 3);
  const treeParams = { maxLeaves: p.maxLeaves, minLeafRows: p.minLeafRows, minLeafHessian: 1e-6, lambda: p.leafLambda, minGain: 0 };
  const trees: GrownTree[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < n; k++) grad[k] = raw[k] - target[k];
    const features = shuffleInPlace(allFeatures.slice(), random).slice(0, nSampled).sort();
    const rows = p.rowSample < 1 ? sampleRows(n, p.rowSample, random) : allRows.slice();
    const tree = growTree({ bins, nFeatures: nF, nBins, grad, hess }, rows, features, treeParams, pool);
    for (let j = 0; j < tree.value.length; j++) tree.value[j] *= p.learningRate;
    trees.push(tree);
    addTree(tree, bins, nF, raw);
  }
  return flattenTrees(trees, binner, Float64Array.of(base), 1, nF);
}

/** The teacher's raw score of every row of `set` (its columns laid out row by row, as serving scores). */
export function teacherScores(teacher: Forest, set: RankingSet): Float64Array {
  const n = set.labels.length;
  const nF = set.columns.length;
  const rows = new Float32Array(n * nF);
  set.columns.forEach((col, f) => {
    for (let k = 0; k < n; k++) rows[k * nF + f] = col[k];
  });
  return scoreRows(teacher, rows, n);
}
