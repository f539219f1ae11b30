/**
 * k-means with k-means++ seeding (Arthur & Vassilvitskii 2007) over content item vectors: sparse token
 * rows against dense centroids. Seeded and tie-broken by index, so a seed fixes the result; several
 * seeded restarts keep the lowest within-cluster sum of squares.
 */
import type { ItemVectors } from '../content/item-vectors.ts';
import { seededUniform } from '../common/rng.ts';

export interface KMeansOptions {
  k: number;
  seed: number;
  maxIterations: number;
  restarts: number;
  /** may throw to abort */
  onIteration?: () => void;
}

export interface KMeansResult {
  k: number;
  /** cluster of each item */
  assignment: Int32Array;
  /** k × dim, row-major */
  centroids: Float32Array;
  /** within-cluster sum of squared distances */
  inertia: number;
}

/** Clusters the vectors; k is capped at the number of items. */
export function kMeans(vectors: ItemVectors, opts: KMeansOptions): KMeansResult {
  let best: KMeansResult | undefined;
  for (let r = 0; r < opts.restarts; r++) {
    const result = lloyd(vectors, Math.min(opts.k, vectors.count), opts.seed + r * 7919, opts);
    if (!best || result.inertia < best.inertia) best = result;
  }
  if (!best) throw new RangeError('kMeans: restarts must be ≥ 1');
  return best;
}

function lloyd(vectors: ItemVectors, k: number, seed: number, opts: KMeansOptions): KMeansResult {
  const n = vectors.count;
  const dim = vectors.vocabSize + vectors.embeddingDim;
  const norms = squaredNorms(vectors);
  const centroids = seedCentroids(vectors, norms, k, seededUniform(seed));
  const assignment = new Int32Array(n).fill(-1);
  const distance = new Float64Array(n);
  for (let iter = 0; iter < opts.maxIterations; iter++) {
    opts.onIteration?.();
    const changed = assign(vectors, norms, centroids, k, assignment, distance);
    if (!changed && iter > 0) break;
    recomputeCentroids(vectors, assignment, distance, centroids, k, dim);
  }
  assign(vectors, norms, centroids, k, assignment, distance);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += distance[i];
  return { k, assignment, centroids, inertia };
}

function squaredNorms(vectors: ItemVectors): Float64Array {
  const out = new Float64Array(vectors.count);
  const unit = new Float32Array(vectors.vocabSize + vectors.embeddingDim);
  for (let i = 0; i < vectors.count; i++) {
    vectors.addTo(unit, i, 1);
    let s = 0;
    for (let d = 0; d < unit.length; d++) s += unit[d] * unit[d];
    out[i] = s;
    unit.fill(0);
  }
  return out;
}

/** Squared distance of every item to centroid `c` (row of `centroids`). */
function distancesTo(vectors: ItemVectors, norms: Float64Array, centroids: Float32Array, c: number, dim: number): Float64Array {
  const centroid = centroids.subarray(c * dim, (c + 1) * dim);
  let cc = 0;
  for (let d = 0; d < dim; d++) cc += centroid[d] * centroid[d];
  const dots = vectors.dotAll(centroid);
  return Float64Array.from(dots, (x, i) => Math.max(0, norms[i] + cc - 2 * x));
}

/** k-means++: each next centre drawn with probability ∝ squared distance to the nearest chosen one. */
function seedCentroids(vectors: ItemVectors, norms: Float64Array, k: number, uniform: () => number): Float32Array {
  const n = vectors.count;
  const dim = vectors.vocabSize + vectors.embeddingDim;
  const centroids = new Float32Array(k * dim);
  const nearest = new Float64Array(n).fill(Infinity);
  let pick = Math.floor(uniform() * n);
  for (let c = 0; c < k; c++) {
    vectors.addTo(centroids.subarray(c * dim, (c + 1) * dim), pick, 1);
    if (c === k - 1) break;
    const d = distancesTo(vectors, norms, centroids, c, dim);
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (d[i] < nearest[i]) nearest[i] = d[i];
      total += nearest[i];
    }
    // all items coincide with a centre: any further centre is a duplicate; take the next index
    if (!(total > 0)) {
      pick = (pick + 1) % n;
      continue;
    }
    let target = uniform() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i];
      if (target < 0) {
        pick = i;
        break;
      }
    }
  }
  return centroids;
}

/** Nearest centroid of each item (lowest index on ties); true when any assignment changed. */
function assign(
  vectors: ItemVectors, norms: Float64Array, centroids: Float32Array, k: number, assignment: Int32Array, distance: Float64Array,
): boolean {
  const dim = vectors.vocabSize + vectors.embeddingDim;
  distance.fill(Infinity);
  const next = new Int32Array(assignment.length);
  for (let c = 0; c < k; c++) {
    const d = distancesTo(vectors, norms, centroids, c, dim);
    for (let i = 0; i < d.length; i++) {
      if (d[i] < distance[i]) {
        distance[i] = d[i];
        next[i] = c;
      }
    }
  }
  let changed = false;
  for (let i = 0; i < next.length; i++) {
    if (next[i] !== assignment[i]) changed = true;
    assignment[i] = next[i];
  }
  return changed;
}

/** Centroids as member means; an empty cluster takes the item farthest from its centroid. */
function recomputeCentroids(
  vectors: ItemVectors, assignment: Int32Array, distance: Float64Array, centroids: Float32Array, k: number, dim: number,
): void {
  const counts = new Int32Array(k);
  for (const c of assignment) counts[c]++;
  for (let c = 0; c < k; c++) {
    if (counts[c] > 0) continue;
    let far = -1;
    for (let i = 0; i < distance.length; i++) {
      if (counts[assignment[i]] > 1 && (far < 0 || distance[i] > distance[far])) far = i;
    }
    if (far < 0) continue;
    counts[assignment[far]]--;
    assignment[far] = c;
    distance[far] = 0;
    counts[c] = 1;
  }
  centroids.fill(0);
  for (let i = 0; i < assignment.length; i++) {
    const c = assignment[i];
    if (counts[c] === 0) continue;
    vectors.addTo(centroids.subarray(c * dim, (c + 1) * dim), i, 1 / counts[c]);
  }
}
