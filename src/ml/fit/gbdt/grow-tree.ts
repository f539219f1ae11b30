/**
 * Grows one regression tree on gradient/hessian statistics over binned rows, leaf-wise (always split
 * the leaf with the largest gain, as LightGBM does). Histograms: the smaller child is built from its
 * rows and the larger one is the parent minus it. Missing values (bin 0) go to whichever side gains
 * more. Leaf values are the Newton step −G / (H + λ).
 */

export interface TreeParams {
  maxLeaves: number;
  minLeafRows: number;
  minLeafHessian: number;
  /** L2 on leaf values */
  lambda: number;
  /** a split must gain more than this */
  minGain: number;
}

/** A tree as parallel node arrays; node 0 is the root; a leaf has feature −1. */
export interface GrownTree {
  feature: number[];
  thresholdBin: number[];
  nanLeft: boolean[];
  left: number[];
  right: number[];
  value: number[];
}

/** The binned training rows and their per-row statistics for the current tree. */
export interface GrowInput {
  /** row-major bins: row k, feature f at k·nFeatures + f */
  bins: Uint8Array;
  nFeatures: number;
  /** number of bins of each feature, NaN bin included */
  nBins: Int32Array;
  grad: Float64Array;
  hess: Float64Array;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  nanLeft: boolean;
  leftCount: number;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  hist: Float64Array;
  g: number;
  h: number;
  split: Split | undefined;
}

/** Reusable histogram buffers, so growing hundreds of trees does not churn the garbage collector. */
export class HistogramPool {
  private readonly free: Float64Array[] = [];
  constructor(readonly size: number) {}

  /** A zeroed buffer. */
  take(): Float64Array {
    const h = this.free.pop();
    if (h === undefined) return new Float64Array(this.size);
    h.fill(0);
    return h;
  }

  give(h: Float64Array): void {
    this.free.push(h);
  }
}

/** Cumulative bin offsets of each feature in a histogram (length nFeatures + 1). */
export function histogramOffsets(nBins: Int32Array): Int32Array {
  const offsets = new Int32Array(nBins.length + 1);
  for (let f = 0; f < nBins.length; f++) offsets[f + 1] = offsets[f] + nBins[f];
  return offsets;
}

/** Grows a tree on `rows` (reordered in place) using only `features`; `pool.size` = 3 × total bins. */
export function growTree(
  input: GrowInput, rows: Int32Array, features: Int32Array, params: TreeParams, pool: HistogramPool,
): GrownTree {
  const offsets = histogramOffsets(input.nBins);
  const histSize = pool.size;
  const tree: GrownTree = { feature: [-1], thresholdBin: [0], nanLeft: [false], left: [-1], right: [-1], value: [0] };
  const scratch = new Int32Array(rows.length);

  const rootHist = pool.take();
  buildHistogram(input, rows, 0, rows.length, features, offsets, rootHist);
  let g = 0;
  let h = 0;
  for (let k = 0; k < rows.length; k++) {
    g += input.grad[rows[k]];
    h += input.hess[rows[k]];
  }
  const root: Leaf = { node: 0, start: 0, end: rows.length, hist: rootHist, g, h, split: undefined };
  root.split = bestSplit(root, features, offsets, input.nBins, params);
  const leaves: Leaf[] = [root];

  while (leaves.length < params.maxLeaves) {
    let pick = -1;
    for (let j = 0; j < leaves.length; j++) {
      const s = leaves[j].split;
      if (s && s.gain > params.minGain && (pick < 0 || s.gain > (leaves[pick].split as Split).gain)) pick = j;
    }
    if (pick < 0) break;
    const parent = leaves[pick];
    const split = parent.split as Split;
    const mid = partition(input, rows, scratch, parent.start, parent.end, split);
    const leftNode = tree.feature.length;
    for (let j = 0; j < 2; j++) {
      tree.feature.push(-1);
      tree.thresholdBin.push(0);
      tree.nanLeft.push(false);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(0);
    }
    tree.feature[parent.node] = split.feature;
    tree.thresholdBin[parent.node] = split.bin;
    tree.nanLeft[parent.node] = split.nanLeft;
    tree.left[parent.node] = leftNode;
    tree.right[parent.node] = leftNode + 1;

    const leftSmaller = mid - parent.start <= parent.end - mid;
    const small = pool.take();
    if (leftSmaller) buildHistogram(input, rows, parent.start, mid, features, offsets, small);
    else buildHistogram(input, rows, mid, parent.end, features, offsets, small);
    const large = parent.hist; // reused in place: parent − small
    for (let j = 0; j < histSize; j++) large[j] -= small[j];
    const left: Leaf = { node: leftNode, start: parent.start, end: mid, hist: leftSmaller ? small : large, g: 0, h: 0, split: undefined };
    const right: Leaf = { node: leftNode + 1, start: mid, end: parent.end, hist: leftSmaller ? large : small, g: 0, h: 0, split: undefined };
    for (const child of [left, right]) {
      for (let k = child.start; k < child.end; k++) {
        child.g += input.grad[rows[k]];
        child.h += input.hess[rows[k]];
      }
      child.split = bestSplit(child, features, offsets, input.nBins, params);
    }
    leaves[pick] = left;
    leaves.push(right);
  }
  for (const leaf of leaves) {
    tree.value[leaf.node] = -leaf.g / (leaf.h + params.lambda);
    pool.give(leaf.hist);
  }
  return tree;
}

function buildHistogram(
  input: GrowInput, rows: Int32Array, start: number, end: number, features: Int32Array, offsets: Int32Array, hist: Float64Array,
): void {
  const { bins, nFeatures, grad, hess } = input;
  const nSel = features.length;
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const base = r * nFeatures;
    const gr = grad[r];
    const hr = hess[r];
    for (let j = 0; j < nSel; j++) {
      const f = features[j];
      const cell = (offsets[f] + bins[base + f]) * 3;
      hist[cell] += gr;
      hist[cell + 1] += hr;
      hist[cell + 2] += 1;
    }
  }
}

function bestSplit(leaf: Leaf, features: Int32Array, offsets: Int32Array, nBins: Int32Array, p: TreeParams): Split | undefined {
  const count = leaf.end - leaf.start;
  if (count < 2 * p.minLeafRows) return undefined;
  const { hist, g: G, h: H } = leaf;
  const parentScore = (G * G) / (H + p.lambda);
  let best: Split | undefined;
  for (let j = 0; j < features.length; j++) {
    const f = features[j];
    const off = offsets[f] * 3;
    const nanG = hist[off];
    const nanH = hist[off + 1];
    const nanC = hist[off + 2];
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let b = 1; b < nBins[f]; b++) {
      const cell = off + b * 3;
      gl += hist[cell];
      hl += hist[cell + 1];
      cl += hist[cell + 2];
      for (let side = 0; side < 2; side++) {
        const nanLeft = side === 1;
        if (nanLeft && nanC === 0) continue;
        const gL = nanLeft ? gl + nanG : gl;
        const hL = nanLeft ? hl + nanH : hl;
        const cL = nanLeft ? cl + nanC : cl;
        const cR = count - cL;
        if (cL < p.minLeafRows || cR < p.minLeafRows) continue;
        const hR = H - hL;
        if (hL < p.minLeafHessian || hR < p.minLeafHessian) continue;
        const gR = G - gL;
        const gain = (gL * gL) / (hL + p.lambda) + (gR * gR) / (hR + p.lambda) - parentScore;
        if (best === undefined || gain > best.gain) best = { gain, feature: f, bin: b, nanLeft, leftCount: cL };
      }
    }
  }
  return best;
}

/** Stable partition of rows[start, end) into [left | right]; returns the first right position. */
function partition(input: GrowInput, rows: Int32Array, scratch: Int32Array, start: number, end: number, s: Split): number {
  const { bins, nFeatures } = input;
  let l = start;
  let r = 0;
  for (let k = start; k < end; k++) {
    const row = rows[k];
    const b = bins[row * nFeatures + s.feature];
    const goLeft = b === 0 ? s.nanLeft : b <= s.bin;
    if (goLeft) rows[l++] = row;
    else scratch[r++] = row;
  }
  rows.set(scratch.subarray(0, r), l);
  return l;
}
