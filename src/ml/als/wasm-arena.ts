/**
 * One shared WebAssembly memory holding everything the SIMD CG kernels touch (factors, both sparse
 * views, the Gram matrix, per-thread scratch), handed out as typed-array views by a bump allocator.
 * Being shared, the same memory is the worker threads' SharedArrayBuffer.
 */
import { MAX_PAGES } from '../common/wasm-encoding.ts';

const PAGE = 65536;
// typed views start 16-byte aligned: v128 loads are fastest aligned, and Float64Array needs 8
const ALIGN = 16;

/** Bytes `lengths` (element counts × element sizes) take once aligned. */
export function arenaBytes(parts: ReadonlyArray<{ length: number; bytesPerElement: number }>): number {
  return parts.reduce((sum, p) => sum + Math.ceil((p.length * p.bytesPerElement) / ALIGN) * ALIGN, 0);
}

/** The largest arena a 32-bit wasm memory allows (less a page of slack). */
export const MAX_ARENA_BYTES = (MAX_PAGES - 1) * PAGE;

export class WasmArena {
  private next = 0;

  private constructor(readonly memory: WebAssembly.Memory) {}

  /** A fixed-size shared memory of at least `bytes`. */
  static create(bytes: number): WasmArena {
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    return new WasmArena(new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }));
  }

  get buffer(): SharedArrayBuffer {
    return this.memory.buffer as unknown as SharedArrayBuffer;
  }

  /** A zeroed Float32Array of `length` in the arena. */
  float32(length: number): Float32Array {
    return new Float32Array(this.buffer, this.take(length * 4), length);
  }

  /** A zeroed Float64Array of `length` in the arena. */
  float64(length: number): Float64Array {
    return new Float64Array(this.buffer, this.take(length * 8), length);
  }

  /** A zeroed Int32Array of `length` in the arena. */
  int32(length: number): Int32Array {
    return new Int32Array(this.buffer, this.take(length * 4), length);
  }

  private take(bytes: number): number {
    const at = this.next;
    this.next += Math.ceil(bytes / ALIGN) * ALIGN;
    if (this.next > this.buffer.byteLength) throw new RangeError(`wasm arena: ${this.next} bytes needed, ${this.buffer.byteLength} reserved`);
    return at;
  }
}
