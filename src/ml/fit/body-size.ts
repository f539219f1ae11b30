/**
 * The size a body usually rents: ridge regression of the rented size on the member's own columns
 * (height, weight, bust, body type…). Labels are not used, only sizes, so it speaks for members the
 * model has never seen (68% of RTR members rent once) and gives each item a "runs small / large"
 * residual: what its renters rented minus what their bodies predict.
 */
import type { FitData } from './fit-data.ts';

export interface BodySizeModel {
  /** indexes into FitData.columns of the member-scope columns used, numeric then categorical */
  numeric: number[];
  categorical: number[];
  mean: Float64Array;
  std: Float64Array;
  /** [intercept, per numeric column: value and missing flag, per categorical column: one per label] */
  weights: Float64Array;
}

/** Member-scope column indexes of `data`, numeric and categorical. */
export function memberColumns(data: Pick<FitData, 'columns'>): { numeric: number[]; categorical: number[] } {
  const numeric: number[] = [];
  const categorical: number[] = [];
  data.columns.forEach((c, j) => {
    if (c.scope !== 'member') return;
    (c.kind === 'numeric' ? numeric : categorical).push(j);
  });
  return { numeric, categorical };
}

function designWidth(data: Pick<FitData, 'columns'>, numeric: number[], categorical: number[]): number {
  let width = 1 + 2 * numeric.length;
  for (const j of categorical) {
    const c = data.columns[j];
    if (c.kind === 'categorical') width += c.labels.length;
  }
  return width;
}

/** Writes row k's design vector into `x` (zeros where values are missing). */
function design(model: Omit<BodySizeModel, 'weights'>, data: FitData, k: number, x: Float64Array): void {
  x.fill(0);
  x[0] = 1;
  let at = 1;
  model.numeric.forEach((j, m) => {
    const c = data.columns[j];
    const v = c.kind === 'numeric' ? c.values[k] : Number.NaN;
    if (Number.isNaN(v)) x[at + 1] = 1;
    else x[at] = (v - model.mean[m]) / model.std[m];
    at += 2;
  });
  for (const j of model.categorical) {
    const c = data.columns[j];
    if (c.kind !== 'categorical') continue;
    if (c.codes[k] >= 0 && c.codes[k] < c.labels.length) x[at + c.codes[k]] = 1;
    at += c.labels.length;
  }
}

/** Fits the regression on `rows` of `data` (rows with a NaN size are skipped). */
export function fitBodySize(data: FitData, rows: Int32Array, ridge: number): BodySizeModel {
  const { numeric, categorical } = memberColumns(data);
  const mean = new Float64Array(numeric.length);
  const std = new Float64Array(numeric.length).fill(1);
  numeric.forEach((j, m) => {
    const c = data.columns[j];
    if (c.kind !== 'numeric') return;
    let s = 0;
    let s2 = 0;
    let cnt = 0;
    for (const k of rows) {
      const v = c.values[k];
      if (Number.isNaN(v)) continue;
      s += v;
      s2 += v * v;
      cnt++;
    }
    if (cnt > 0) {
      mean[m] = s / cnt;
      std[m] = Math.sqrt(Math.max(s2 / cnt - mean[m] * mean[m], 0)) || 1;
    }
  });
  const d = designWidth(data, numeric, categorical);
  const xtx = new Float64Array(d * d);
  const xty = new Float64Array(d);
  const x = new Float64Array(d);
  const partial = { numeric, categorical, mean, std };
  for (const k of rows) {
    const y = data.sizes[k];
    if (Number.isNaN(y)) continue;
    design(partial, data, k, x);
    for (let a = 0; a < d; a++) {
      if (x[a] === 0) continue;
      xty[a] += x[a] * y;
      for (let b = 0; b < d; b++) xtx[a * d + b] += x[a] * x[b];
    }
  }
  // no penalty on the intercept, so an unknown body predicts the mean size
  for (let a = 1; a < d; a++) xtx[a * d + a] += ridge;
  xtx[0] += 1e-9;
  return { ...partial, weights: solveSymmetric(xtx, xty, d) };
}

/** The size that row k's body predicts. */
export function predictBodySize(model: BodySizeModel, data: FitData, k: number, scratch?: Float64Array): number {
  const x = scratch && scratch.length === model.weights.length ? scratch : new Float64Array(model.weights.length);
  design(model, data, k, x);
  let s = 0;
  for (let a = 0; a < x.length; a++) s += x[a] * model.weights[a];
  return s;
}

/** Solves A·w = b for a symmetric positive-definite A (Gaussian elimination with partial pivoting). */
function solveSymmetric(A: Float64Array, b: Float64Array, d: number): Float64Array {
  const m = Float64Array.from(A);
  const w = Float64Array.from(b);
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(m[r * d + col]) > Math.abs(m[pivot * d + col])) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < d; c++) [m[col * d + c], m[pivot * d + c]] = [m[pivot * d + c], m[col * d + c]];
      [w[col], w[pivot]] = [w[pivot], w[col]];
    }
    const p = m[col * d + col] || 1e-12;
    for (let r = col + 1; r < d; r++) {
      const f = m[r * d + col] / p;
      if (f === 0) continue;
      for (let c = col; c < d; c++) m[r * d + c] -= f * m[col * d + c];
      w[r] -= f * w[col];
    }
  }
  for (let r = d - 1; r >= 0; r--) {
    let s = w[r];
    for (let c = r + 1; c < d; c++) s -= m[r * d + c] * w[c];
    w[r] = s / (m[r * d + r] || 1e-12);
  }
  return w;
}
