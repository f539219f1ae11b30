/**
 * A trained multiclass boosted forest as flat typed arrays (one set of node arrays for all trees), so
 * it saves as artifact payloads and predicts without objects. Tree t of class c has its root at
 * treeRoot[t·nClasses + c]; a node goes left when x ≤ threshold (NaN follows nanLeft).
 */

export interface Forest {
  nClasses: number;
  nFeatures: number;
  /** starting raw score of each class (log prior) */
  base: Float64Array;
  treeRoot: Int32Array;
  /** −1 for a leaf */
  nodeFeature: Int32Array;
  nodeThreshold: Float64Array;
  nodeNanLeft: Uint8Array;
  nodeLeft: Int32Array;
  nodeRight: Int32Array;
  /** leaf value (already multiplied by the learning rate) */
  nodeValue: Float64Array;
}

/** The leaf value reached by a row whose feature f is `value(f)`. */
function leafValue(forest: Forest, root: number, value: (f: number) => number): number {
  let node = root;
  for (;;) {
    const f = forest.nodeFeature[node];
    if (f < 0) return forest.nodeValue[node];
    const x = value(f);
    const left = Number.isNaN(x) ? forest.nodeNanLeft[node] === 1 : x <= forest.nodeThreshold[node];
    node = left ? forest.nodeLeft[node] : forest.nodeRight[node];
  }
}

/** Class probabilities of rows given as feature-major columns; row-major n × nClasses. */
export function predictForest(forest: Forest, columns: Float64Array[], rounds = forest.treeRoot.length / forest.nClasses): Float64Array {
  const n = columns.length === 0 ? 0 : columns[0].length;
  const K = forest.nClasses;
  const out = new Float64Array(n * K);
  for (let k = 0; k < n; k++) {
    const value = (f: number): number => columns[f][k];
    for (let c = 0; c < K; c++) {
      let s = forest.base[c];
      for (let t = 0; t < rounds; t++) s += leafValue(forest, forest.treeRoot[t * K + c], value);
      out[k * K + c] = s;
    }
  }
  softmaxRows(out, K);
  return out;
}

/** Class probabilities of one row of features. */
export function predictForestRow(forest: Forest, features: ArrayLike<number>): Float64Array {
  const K = forest.nClasses;
  const out = new Float64Array(K);
  const value = (f: number): number => features[f];
  const rounds = forest.treeRoot.length / K;
  for (let c = 0; c < K; c++) {
    let s = forest.base[c];
    for (let t = 0; t < rounds; t++) s += leafValue(forest, forest.treeRoot[t * K + c], value);
    out[c] = s;
  }
  softmaxRows(out, K);
  return out;
}

/**
 * Adds the raw class scores of `n` rows, given row-major (row k, feature f at k·stride + f), to
 * out[outAt + k·nClasses + c] (the caller starts it at `base`). Tree-major: one tree's nodes stay in
 * cache while every row walks it, and there is no closure per value read (the serving hot path).
 * Each (row, class) still adds its leaves in tree order, so the sums equal predictForest's bit for bit.
 * What serving falls back to on an engine without WebAssembly (wasm-forest.ts: ~3.5× faster on RTR pages).
 */
export function addForestScoresRowMajor(
  forest: Forest, rows: Float64Array, stride: number, n: number, out: Float64Array, outAt: number,
): void {
  const K = forest.nClasses;
  const { treeRoot, nodeFeature, nodeThreshold, nodeNanLeft, nodeLeft, nodeRight, nodeValue } = forest;
  for (let t = 0; t < treeRoot.length; t++) {
    const root = treeRoot[t];
    const c = t % K;
    for (let k = 0, row = 0; k < n; k++, row += stride) {
      let node = root;
      let f = nodeFeature[node];
      while (f >= 0) {
        const x = rows[row + f];
        // x ≤ threshold is false for NaN, which then follows nanLeft
        node = x <= nodeThreshold[node] || (x !== x && nodeNanLeft[node] === 1) ? nodeLeft[node] : nodeRight[node];
        f = nodeFeature[node];
      }
      out[outAt + k * K + c] += nodeValue[node];
    }
  }
}

/**
 * addForestScoresRowMajor over `rows` whose features f with isShared(f) are taken from `shared` (the
 * page's member and size features, written once): they are copied into each row first.
 */
export function addForestScoresWithShared(
  forest: Forest, isShared: (f: number) => boolean,
): (rows: Float64Array, stride: number, n: number, out: Float64Array, outAt: number, shared: Float64Array) => void {
  const sharedFeatures = Array.from({ length: forest.nFeatures }, (_, f) => f).filter(isShared);
  return (rows, stride, n, out, outAt, shared) => {
    for (let k = 0; k < n; k++) for (const f of sharedFeatures) rows[k * stride + f] = shared[f];
    addForestScoresRowMajor(forest, rows, stride, n, out, outAt);
  };
}

/** Softmax of each row of a row-major n × K matrix of raw scores, in place. */
export function softmaxRows(scores: Float64Array, K: number): void {
  for (let base = 0; base < scores.length; base += K) {
    let max = -Infinity;
    for (let c = 0; c < K; c++) max = Math.max(max, scores[base + c]);
    let sum = 0;
    for (let c = 0; c < K; c++) {
      const e = Math.exp(scores[base + c] - max);
      scores[base + c] = e;
      sum += e;
    }
    for (let c = 0; c < K; c++) scores[base + c] /= sum;
  }
}
