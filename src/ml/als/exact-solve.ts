/**
 * Exact row solve of (YᵀY + λI + Yᵀ(C−I)Y) x = YᵀC·p for one row's entries: the reference solver for
 * training, and the fold-in of a new member. Rows with many entries form the k × k system and factor
 * it (Cholesky); rows with few go through the Woodbury identity around the cached (YᵀY + λI)⁻¹, which
 * costs O(n·k²) instead of O(k³) — most RTR members have 1–3 rentals.
 */
import { choleskySolveInPlace, choleskyUpperInPlace } from './cholesky.ts';
import type { HalfStep } from './half-step.ts';

/** Rows with at most this many entries use the Woodbury path (it wins below ~15 at k = 64). */
export const WOODBURY_MAX_ENTRIES = 12;

/** Per-thread scratch, allocated once so row solves never allocate. */
export interface ExactScratch {
  /** the k × k system (direct path) */
  a: Float64Array;
  /** right-hand side, overwritten with x */
  b: Float64Array;
  /** Woodbury: W = V·G⁻¹ (n × k), S = D⁻¹ + W·Vᵀ (n × n), and an n-vector */
  w: Float64Array;
  s: Float64Array;
  r: Float64Array;
}

/** Scratch for factor dimension k. */
export function exactScratch(k: number): ExactScratch {
  const n = WOODBURY_MAX_ENTRIES;
  return { a: new Float64Array(k * k), b: new Float64Array(k), w: new Float64Array(n * k), s: new Float64Array(n * n), r: new Float64Array(n) };
}

/**
 * Solves for one row whose entries are (indices[j], conf[j]), j in [start, end), against `source`
 * (rows of k factors), `gram` = sourceᵀsource + λI and, when given, its inverse. Returns `w.b` = x.
 */
export function solveNormalEquations(
  source: Float32Array, k: number, gram: Float64Array, gramInverse: Float64Array | undefined,
  indices: Int32Array, conf: Float32Array, start: number, end: number, w: ExactScratch,
): Float64Array {
  if (gramInverse !== undefined && end - start <= WOODBURY_MAX_ENTRIES && confidencesAboveOne(conf, start, end)) {
    return solveLowRank(source, k, gramInverse, indices, conf, start, end, w);
  }
  return solveDirect(source, k, gram, indices, conf, start, end, w);
}

/** Re-solves rows [from, to) of `step.target` exactly. */
export function solveRowsExact(step: HalfStep, from: number, to: number, w: ExactScratch): void {
  const { k, target, source, indptr, indices, conf, gram, gramInverse } = step;
  for (let row = from; row < to; row++) {
    const start = indptr[row], end = indptr[row + 1];
    const base = row * k;
    if (start === end) {
      target.fill(0, base, base + k);
      continue;
    }
    const x = solveNormalEquations(source, k, gram, gramInverse, indices, conf, start, end, w);
    for (let f = 0; f < k; f++) target[base + f] = x[f];
  }
}

/** A = G + Σ (c_j − 1) y_j y_jᵀ and b = Σ c_j y_j, then Cholesky. */
function solveDirect(
  source: Float32Array, k: number, gram: Float64Array,
  indices: Int32Array, conf: Float32Array, start: number, end: number, w: ExactScratch,
): Float64Array {
  const { a, b } = w;
  a.set(gram);
  b.fill(0);
  let j = start;
  // four entries per pass over the triangle: one load/store of A per four rank-one updates
  for (; j + 3 < end; j += 4) {
    const oa = indices[j] * k, ob = indices[j + 1] * k, oc = indices[j + 2] * k, od = indices[j + 3] * k;
    const ca = conf[j], cb = conf[j + 1], cc = conf[j + 2], cd = conf[j + 3];
    for (let p = 0; p < k; p++) {
      const ya = source[oa + p], yb = source[ob + p], yc = source[oc + p], yd = source[od + p];
      b[p] += ca * ya + cb * yb + cc * yc + cd * yd;
      const sa = (ca - 1) * ya, sb = (cb - 1) * yb, sc = (cc - 1) * yc, sd = (cd - 1) * yd;
      const row = p * k;
      for (let q = p; q < k; q++) {
        a[row + q] += sa * source[oa + q] + sb * source[ob + q] + sc * source[oc + q] + sd * source[od + q];
      }
    }
  }
  for (; j < end; j++) {
    const o = indices[j] * k;
    const c = conf[j];
    for (let p = 0; p < k; p++) {
      const y = source[o + p];
      b[p] += c * y;
      const s = (c - 1) * y;
      const row = p * k;
      for (let q = p; q < k; q++) a[row + q] += s * source[o + q];
    }
  }
  choleskyUpperInPlace(a, k);
  choleskySolveInPlace(a, k, b);
  return b;
}

/**
 * Woodbury: with V the n entry rows, D = diag(c − 1), G⁻¹ cached, W = V·G⁻¹ and z = G⁻¹b = Wᵀc,
 *   x = (G + VᵀDV)⁻¹ b = z − Wᵀ (D⁻¹ + W·Vᵀ)⁻¹ V·z.
 */
function solveLowRank(
  source: Float32Array, k: number, gInv: Float64Array,
  indices: Int32Array, conf: Float32Array, start: number, end: number, scratch: ExactScratch,
): Float64Array {
  const n = end - start;
  const { w, s, r, b: x } = scratch;
  for (let i = 0; i < n; i++) {
    const oy = indices[start + i] * k;
    const ow = i * k;
    for (let a = 0; a < k; a++) {
      const row = a * k;
      let sum = 0;
      for (let q = 0; q < k; q++) sum += gInv[row + q] * source[oy + q];
      w[ow + a] = sum;
    }
  }
  x.fill(0);
  for (let i = 0; i < n; i++) {
    const c = conf[start + i];
    for (let a = 0; a < k; a++) x[a] += c * w[i * k + a];
  }
  for (let i = 0; i < n; i++) {
    const ow = i * k;
    for (let j = i; j < n; j++) {
      const oy = indices[start + j] * k;
      let sum = 0;
      for (let a = 0; a < k; a++) sum += w[ow + a] * source[oy + a];
      s[i * n + j] = sum;
    }
    s[i * n + i] += 1 / (conf[start + i] - 1);
    const oy = indices[start + i] * k;
    let vz = 0;
    for (let a = 0; a < k; a++) vz += source[oy + a] * x[a];
    r[i] = vz;
  }
  choleskyUpperInPlace(s, n);
  choleskySolveInPlace(s, n, r);
  for (let i = 0; i < n; i++) {
    const ri = r[i];
    for (let a = 0; a < k; a++) x[a] -= ri * w[i * k + a];
  }
  return x;
}

/** D⁻¹ exists only when every confidence is above 1 (alpha · weight > 0). */
function confidencesAboveOne(conf: Float32Array, start: number, end: number): boolean {
  for (let j = start; j < end; j++) if (!(conf[j] - 1 > 1e-6)) return false;
  return true;
}
