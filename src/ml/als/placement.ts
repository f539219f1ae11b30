/**
 * Where training buffers live: a wasm arena when CG runs on the SIMD kernels, SharedArrayBuffers when
 * worker threads run the scalar solvers, ordinary typed arrays on the calling thread alone. The choice
 * depends on the solver, k and the data size only — never on the thread count — so results do not
 * depend on threads either.
 */
import type { Csr } from '../common/csr.ts';
import type { ConfidenceMatrices } from './confidence-matrices.ts';
import { GRAM_BLOCKS } from './gramian.ts';
import type { AlsParams } from './params.ts';
import type { AlsBuffers } from './row-solver.ts';
import { simdUsable } from './simd-kernels.ts';
import { arenaBytes, MAX_ARENA_BYTES, WasmArena } from './wasm-arena.ts';

interface Allocator {
  f32(n: number): Float32Array;
  f64(n: number): Float64Array;
  i32(n: number): Int32Array;
}

const PLAIN: Allocator = { f32: (n) => new Float32Array(n), f64: (n) => new Float64Array(n), i32: (n) => new Int32Array(n) };
const SHARED: Allocator = {
  f32: (n) => new Float32Array(new SharedArrayBuffer(4 * n)),
  f64: (n) => new Float64Array(new SharedArrayBuffer(8 * n)),
  i32: (n) => new Int32Array(new SharedArrayBuffer(4 * n)),
};

/** True when CG will run on the SIMD kernels for this data (decides the arithmetic: float32 kernels). */
export function usesSimd(m: ConfidenceMatrices, p: AlsParams): boolean {
  return p.solver === 'cg' && simdUsable(p.factors) && arenaSize(m, p.factors, 1) <= MAX_ARENA_BYTES;
}

/** Copies the matrices next to freshly allocated factors and Gram buffers, placed for `threads` workers (0 = calling thread). */
export function placeBuffers(m: ConfidenceMatrices, p: AlsParams, threads: number): AlsBuffers {
  const k = p.factors;
  const slots = Math.max(1, threads);
  const arena = usesSimd(m, p) ? WasmArena.create(arenaSize(m, k, slots)) : undefined;
  const alloc: Allocator = arena ? { f32: (n) => arena.float32(n), f64: (n) => arena.float64(n), i32: (n) => arena.int32(n) } : threads > 0 ? SHARED : PLAIN;
  const copy = (c: Csr): Csr => {
    // the plain path can keep the caller's arrays: nothing else writes them
    if (alloc === PLAIN) return c;
    const out: Csr = { nRows: c.nRows, nCols: c.nCols, indptr: alloc.i32(c.indptr.length), indices: alloc.i32(c.indices.length), values: alloc.f32(c.values.length) };
    out.indptr.set(c.indptr);
    out.indices.set(c.indices);
    out.values.set(c.values);
    return out;
  };
  return {
    k,
    solver: p.solver,
    cgSteps: p.cgSteps,
    byUser: copy(m.byUser),
    byItem: copy(m.byItem),
    userFactors: alloc.f32(m.nUsers * k),
    itemFactors: alloc.f32(m.nItems * k),
    gram: alloc.f64(k * k),
    gramInverse: alloc.f64(k * k),
    gramBlocks: alloc.f64(GRAM_BLOCKS * k * k),
    simd: arena && { memory: arena.memory, gram32: alloc.f32(k * k), scratch: alloc.f32(slots * 4 * k) },
  };
}

function arenaSize(m: ConfidenceMatrices, k: number, slots: number): number {
  const nnz = m.byUser.indices.length;
  const f32 = (length: number) => ({ length, bytesPerElement: 4 });
  return arenaBytes([
    f32(m.nUsers + 1), f32(nnz), f32(nnz), f32(m.nItems + 1), f32(nnz), f32(nnz),
    f32(m.nUsers * k), f32(m.nItems * k),
    { length: k * k, bytesPerElement: 8 }, { length: k * k, bytesPerElement: 8 }, { length: GRAM_BLOCKS * k * k, bytesPerElement: 8 },
    f32(k * k), f32(slots * 4 * k),
  ]);
}
