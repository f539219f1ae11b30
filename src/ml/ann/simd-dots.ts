/**
 * Dot products of many contiguous float32 rows with one query, in WebAssembly SIMD (f32x4): the ANN
 * scan's inner loop, ~4× the scalar TypeScript (V8 does not vectorise). It reuses ALS's `matVec`
 * kernel, which computes `dim` rows at a time, so the rows live in a wasm arena padded by `dim` rows.
 * Sums are float32 (the scalar path sums in float64): scores can differ in the last bits, so callers
 * re-score what they return.
 */
import { instantiateKernels, simdUsable, type SimdKernels } from '../als/simd-kernels.ts';
import { arenaBytes, WasmArena } from '../als/wasm-arena.ts';

export class SimdRowDots {
  /** the rows, n × dim, in the arena (write them through this view) */
  readonly rows: Float32Array;
  private readonly query: Float32Array;
  private readonly out: Float32Array;
  private readonly kernels: SimdKernels;

  private constructor(readonly n: number, readonly dim: number) {
    const padded = (n + dim) * dim;
    const arena = WasmArena.create(arenaBytes([
      { length: padded, bytesPerElement: 4 }, { length: dim, bytesPerElement: 4 }, { length: n + dim, bytesPerElement: 4 },
    ]) + 1024);
    this.rows = arena.float32(padded).subarray(0, n * dim);
    this.query = arena.float32(dim);
    this.out = arena.float32(n + dim);
    this.kernels = instantiateKernels(arena.memory);
  }

  /** The SIMD path for n rows of `dim`, or undefined when this runtime or dim (a multiple of 4) does not allow it. */
  static create(n: number, dim: number): SimdRowDots | undefined {
    if (dim === 0 || !simdUsable(dim)) return undefined;
    try {
      return new SimdRowDots(n, dim);
    } catch {
      return undefined; // no shared wasm memory here: the scalar path serves
    }
  }

  /** rows[start .. end) · q, as a view of length end − start (valid until the next call). */
  dots(q: Float32Array, start: number, end: number): Float32Array {
    const { dim } = this;
    this.query.set(q.subarray(0, dim));
    const rowBytes = dim * 4;
    const base = this.rows.byteOffset, qAt = this.query.byteOffset, outAt = this.out.byteOffset;
    for (let r = start; r < end; r += dim) {
      this.kernels.matVec(base + r * rowBytes, qAt, outAt + (r - start) * 4, dim);
    }
    return this.out.subarray(0, end - start);
  }
}
