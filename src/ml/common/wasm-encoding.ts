/**
 * Just enough of the WebAssembly binary format to emit modules without a toolchain: LEB128 numbers
 * (used by ALS's SIMD kernels and the fit forest, fit/gbdt/wasm-forest.ts), the opcodes the kernels
 * use, and a kernel module with one imported shared memory and exported functions. See the
 * WebAssembly core spec §5 (binary format).
 */

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const simd = (op: number): number[] => [0xfd, ...uleb(op)];
// memory immediates: alignment hint 2^2 (every access here is at least 4-byte aligned), offset 0
const MEMARG = [2, 0];

/** The instructions the kernels use, as byte sequences. */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  call: (fn: number) => [0x10, ...uleb(fn)],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  tee: (local: number) => [0x22, ...uleb(local)],
  i32Load: [0x28, ...MEMARG],
  /** i32.load with a constant byte offset added to the address */
  i32LoadAt: (offset: number) => [0x28, 2, ...uleb(offset)],
  f32LoadAt: (offset: number) => [0x2a, 2, ...uleb(offset)],
  f32Load: [0x2a, ...MEMARG],
  f32Store: [0x38, ...MEMARG],
  i32Const: (n: number) => [0x41, ...sleb(n)],
  f32Const: (x: number) => [0x43, ...new Uint8Array(Float32Array.of(x).buffer)],
  i32GeS: [0x4e],
  i32LtU: [0x49],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  f32Add: [0x92],
  f32Sub: [0x93],
  f32Mul: [0x94],
  v128Load: [...simd(0x00), ...MEMARG],
  v128Store: [...simd(0x0b), ...MEMARG],
  f32x4Splat: simd(0x13),
  f32x4ExtractLane: (lane: number) => [...simd(0x1f), lane],
  f32x4Add: simd(0xe4),
  f32x4Mul: simd(0xe6),
} as const;

export interface WasmFunction {
  name: string;
  params: number[];
  /** extra locals, by type, after the params */
  locals: number[];
  body: number[];
}

/** The most 64 KiB pages a 32-bit memory can have (4 GiB). */
export const MAX_PAGES = 65536;

/** A module importing `env.memory` (shared, any size up to 4 GiB) and exporting `functions`. */
export function encodeModule(functions: WasmFunction[]): Uint8Array<ArrayBuffer> {
  const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
  const str = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));
  const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0]);
  const memory = [...str('env'), ...str('memory'), 0x02, 0x03, ...uleb(1), ...uleb(MAX_PAGES)];
  const bodies = functions.map((f) => {
    const locals = vec(f.locals.map((t) => [1, t]));
    const code = [...locals, ...f.body, ...op.end];
    return [...uleb(code.length), ...code];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([memory])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(bodies)),
  ]);
}
