/**
 * Conjugate-gradient row solve, as implicit's `least_squares_cg`: a few CG steps on
 * (YᵀY + λI + Yᵀ(C−I)Y) x = YᵀC·p, warm-started from the row's current factors. The scalar float64
 * path: used when k is not a multiple of 4 or the data outgrows a wasm memory (else cg-simd.ts).
 */
import { addDataTerms, symMatVec, type HalfStep } from './half-step.ts';

/** Per-thread scratch vectors, allocated once so row solves never allocate. */
export interface CgScratch {
  x: Float64Array;
  r: Float64Array;
  p: Float64Array;
  ap: Float64Array;
}

/** Scratch for factor dimension k. */
export function cgScratch(k: number): CgScratch {
  return { x: new Float64Array(k), r: new Float64Array(k), p: new Float64Array(k), ap: new Float64Array(k) };
}

// residuals this small mean the row has converged (implicit uses the same bound)
const CONVERGED = 1e-20;

/** Re-solves rows [from, to) of `step.target` with `cgSteps` CG steps each. */
export function solveRowsCg(step: HalfStep, from: number, to: number, cgSteps: number, w: CgScratch): void {
  const { k, target, indptr, gram } = step;
  const { x, r, p, ap } = w;
  for (let row = from; row < to; row++) {
    const start = indptr[row], end = indptr[row + 1];
    const base = row * k;
    // a row with no interactions has nothing to fit: its least-squares solution is 0
    if (start === end) {
      target.fill(0, base, base + k);
      continue;
    }
    for (let f = 0; f < k; f++) x[f] = target[base + f];
    // r = YᵀCp − A·x
    symMatVec(gram, x, r, k);
    for (let f = 0; f < k; f++) r[f] = -r[f];
    addDataTerms(step, start, end, x, r, 1, -1);
    let rsOld = 0;
    for (let f = 0; f < k; f++) {
      p[f] = r[f];
      rsOld += r[f] * r[f];
    }
    if (rsOld < CONVERGED) continue;
    for (let it = 0; it < cgSteps; it++) {
      symMatVec(gram, p, ap, k);
      addDataTerms(step, start, end, p, ap, 0, 1);
      let pAp = 0;
      for (let f = 0; f < k; f++) pAp += p[f] * ap[f];
      if (!(pAp > 0)) break;
      const a = rsOld / pAp;
      let rsNew = 0;
      for (let f = 0; f < k; f++) {
        x[f] += a * p[f];
        r[f] -= a * ap[f];
        rsNew += r[f] * r[f];
      }
      if (rsNew < CONVERGED) break;
      const beta = rsNew / rsOld;
      for (let f = 0; f < k; f++) p[f] = r[f] + beta * p[f];
      rsOld = rsNew;
    }
    for (let f = 0; f < k; f++) target[base + f] = x[f];
  }
}
