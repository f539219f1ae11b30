/**
 * Dot products of many contiguous float32 rows with one query, in WebAssembly SIMD (f32x4): the ANN
 * scan's inner loop, ~4× the scalar TypeScript (V8 does not vectorise). One `rangeDots` call for a
 * search's probed lists (the kernel module is ALS's): the query is copied into the arena once per
 * search (`setQuery`).
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
  /** [start, end) pairs of the lists `listDots` scores */
  private readonly ranges: Int32Array;
  private readonly kernels: SimdKernels;

  private constructor(readonly n: number, readonly dim: number, lists: number) {
    const arena = WasmArena.create(arenaBytes([
      { length: n * dim, bytesPerElement: 4 }, { length: dim, bytesPerElement: 4 }, { length: n, bytesPerElement: 4 },
      { length: 2 * lists, bytesPerElement: 4 },
    ]) + 1024);
    this.rows = arena.float32(n * dim);
    this.query = arena.float32(dim);
    this.out = arena.float32(n);
    this.ranges = arena.int32(2 * lists);
    this.kernels = instantiateKernels(arena.memory);
  }

  /**
   * The SIMD path for n rows of `dim` in up to `lists` lists, or undefined when this runtime or dim (a
   * multiple of 4) does not allow it.
   */
  static create(n: number, dim: number, lists: number): SimdRowDots | undefined {
    if (dim === 0 || !simdUsable(dim)) return undefined;
    try {
      return new SimdRowDots(n, dim, lists);
    } catch {
      return undefined; // no shared wasm memory here: the scalar path serves
    }
  }

  /** The query the next `dots` calls score against (its first dim numbers). */
  setQuery(q: Float32Array): void {
    this.query.set(q.subarray(0, this.dim));
  }

  /** rows[start .. end) · the query, into `out` at start .. end (valid until the next search). */
  dots(start: number, end: number): Float32Array {
    if (end > start) this.kernels.rowDots(this.rows.byteOffset + start * this.dim * 4, this.query.byteOffset, this.out.byteOffset + start * 4, this.dim, end - start);
    return this.out;
  }

  /** `dots` of every row of lists[0 .. m) (list l: rows offsets[l] .. offsets[l+1]), in one call. */
  listDots(lists: Int32Array, m: number, offsets: Int32Array): Float32Array {
    const { ranges } = this;
    let count = 0;
    for (let j = 0; j < m; j++) {
      const start = offsets[lists[j]], end = offsets[lists[j] + 1];
      if (end <= start) continue; // rowDots scores at least one row
      ranges[2 * count] = start;
      ranges[2 * count + 1] = end;
      count++;
    }
    if (count > 0) this.kernels.rangeDots(this.rows.byteOffset, this.query.byteOffset, this.out.byteOffset, this.dim, ranges.byteOffset, count);
    return this.out;
  }
}
