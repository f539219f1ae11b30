/**
 * The CG row solve of cg-solve.ts with its two hot loops (A·p's data term and the Gram product) on the
 * WebAssembly SIMD kernels. Vectors live in the wasm memory as float32, as implicit's CG keeps them;
 * the few O(k) vector updates stay in TypeScript.
 */
import type { HalfStep } from './half-step.ts';
import type { SimdKernels } from './simd-kernels.ts';

/** This thread's four k-vectors inside the wasm memory. */
export interface SimdCgScratch {
  x: Float32Array;
  r: Float32Array;
  p: Float32Array;
  ap: Float32Array;
}

/** Carves the four vectors out of `slot` (4·k floats of the wasm memory). */
export function simdCgScratch(slot: Float32Array, k: number): SimdCgScratch {
  return { x: slot.subarray(0, k), r: slot.subarray(k, 2 * k), p: slot.subarray(2 * k, 3 * k), ap: slot.subarray(3 * k, 4 * k) };
}

// as cg-solve.ts: residuals this small mean the row has converged
const CONVERGED = 1e-20;
// float32 vectors cannot shrink the residual much below ~1e-5 of its start: further steps would follow
// rounding noise (p·Ap loses its sign), so stop there (‖r‖² ratio 1e-10)
const FLOAT32_FLOOR = 1e-10;

/** Re-solves rows [from, to) of `step.target` with `cgSteps` CG steps; `gram32` is step.gram as float32 in the wasm memory. */
export function solveRowsCgSimd(
  step: HalfStep, from: number, to: number, cgSteps: number, kernels: SimdKernels, gram32: Float32Array, w: SimdCgScratch,
): void {
  const { k, target, indptr } = step;
  const { x, r, p, ap } = w;
  const y = step.source.byteOffset, idx = step.indices.byteOffset, conf = step.conf.byteOffset, g = gram32.byteOffset;
  const xAt = x.byteOffset, rAt = r.byteOffset, pAt = p.byteOffset, apAt = ap.byteOffset;
  for (let row = from; row < to; row++) {
    const start = indptr[row], end = indptr[row + 1];
    const base = row * k;
    if (start === end) {
      target.fill(0, base, base + k);
      continue;
    }
    x.set(target.subarray(base, base + k));
    // r = YᵀCp − A·x
    kernels.matVec(g, xAt, rAt, k);
    for (let f = 0; f < k; f++) r[f] = -r[f];
    kernels.dataTerms(y, idx, conf, start, end, k, xAt, rAt, 1, -1);
    let rsOld = 0;
    for (let f = 0; f < k; f++) {
      p[f] = r[f];
      rsOld += r[f] * r[f];
    }
    if (rsOld < CONVERGED) continue;
    const floor = Math.max(CONVERGED, FLOAT32_FLOOR * rsOld);
    for (let it = 0; it < cgSteps; it++) {
      kernels.matVec(g, pAt, apAt, k);
      kernels.dataTerms(y, idx, conf, start, end, k, pAt, apAt, 0, 1);
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
      if (rsNew < floor) break;
      const beta = rsNew / rsOld;
      for (let f = 0; f < k; f++) p[f] = r[f] + beta * p[f];
      rsOld = rsNew;
    }
    target.set(x, base);
  }
}
