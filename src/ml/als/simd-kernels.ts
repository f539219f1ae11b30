/**
 * The hot loops of CG training (its data term and Gram product) and of fold-in (a rank-n update) as
 * WebAssembly SIMD (f32x4), on arrays held in a shared wasm memory: ~4× faster than the scalar
 * TypeScript of half-step.ts (V8 does not vectorise). Addresses are byte offsets into the memory; k must
 * be a multiple of 4. Arithmetic is float32, as in implicit's CG.
 */
import { encodeModule, F32, I32, op, V128, type WasmFunction } from '../common/wasm-encoding.ts';

/** The exports of the kernel module. */
export interface SimdKernels {
  /** out += Σ_j (t·c_j + sgn·(c_j − 1)·(y_j·v)) y_j over entries [start, end) (see addDataTerms) */
  dataTerms(y: number, idx: number, conf: number, start: number, end: number, k: number, v: number, out: number, t: number, sgn: number): void;
  /** out = m·v for a k × k row-major float32 matrix */
  matVec(m: number, v: number, out: number, k: number): void;
  /** out[0 .. n) = rows · v for n ≥ 1 contiguous float32 rows of k (the ANN scan: a list is rarely k rows) */
  rowDots(rows: number, v: number, out: number, k: number, n: number): void;
  /**
   * rowDots over `count` non-empty row ranges (Int32 pairs [start, end) at `ranges`), out indexed like
   * the rows: a search's probed lists in one call (one call per list crossed into wasm ~70 times a page)
   */
  rangeDots(rows: number, v: number, out: number, k: number, ranges: number, count: number): void;
  /** a (k × k, full) += Σ_j scale[j] · r_j r_jᵀ over the n contiguous rows r_j at `rows` (fold-in's Yᵀ(C−I)Y) */
  rankUpdate(rows: number, scale: number, n: number, k: number, a: number): void;
}

// dataTerms locals: params 0-9, then the loop state, then per-entry row address, accumulator, scale
const Y = 0, IDX = 1, CONF = 2, START = 3, END = 4, K = 5, VEC = 6, OUT = 7, T = 8, SGN = 9;
const J = 10, F = 11, KB = 12, C = 13, VV = 14;
// entries handled together: four outstanding row loads hide more memory latency (the item half step
// walks member rows scattered over the whole factor matrix)
const GROUP = 4;
const ROW = (e: number): number => 15 + e;
const ACC = (e: number): number => 15 + GROUP + e;
const SCALE = (e: number): number => 15 + 2 * GROUP + e;

/** f32 sum of the 4 lanes of v128 local `acc`, in a fixed order. */
const hsum = (acc: number): number[] => [
  ...op.get(acc), ...op.f32x4ExtractLane(0), ...op.get(acc), ...op.f32x4ExtractLane(1), ...op.f32Add,
  ...op.get(acc), ...op.f32x4ExtractLane(2), ...op.get(acc), ...op.f32x4ExtractLane(3), ...op.f32Add, ...op.f32Add,
];
/** byte address of entry j + e's slot in a 4-byte array at local `base` */
const entrySlot = (base: number): number[] => [...op.get(base), ...op.get(J), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add];
/** f += 16; loop again while f < k·4 */
const nextLane = [...op.get(F), ...op.i32Const(16), ...op.i32Add, ...op.tee(F), ...op.get(KB), ...op.i32LtU, ...op.brIf(0)];
const laneAddress = (local: number): number[] => [...op.get(local), ...op.get(F), ...op.i32Add];

/** A loop over entries `width` at a time, from j while j + width ≤ end. */
function entryLoop(width: number): number[] {
  const es = Array.from({ length: width }, (_, e) => e);
  return [
    ...op.block, ...op.loop,
    ...op.get(J), ...op.i32Const(width - 1), ...op.i32Add, ...op.get(END), ...op.i32GeS, ...op.brIf(1),
    // row addresses y + idx[j + e]·k·4, zeroed accumulators
    ...es.flatMap((e) => [
      ...op.get(Y), ...entrySlot(IDX), ...op.i32LoadAt(4 * e), ...op.get(KB), ...op.i32Mul, ...op.i32Add, ...op.set(ROW(e)),
      ...op.f32Const(0), ...op.f32x4Splat, ...op.set(ACC(e)),
    ]),
    // dots y_e · v
    ...op.i32Const(0), ...op.set(F),
    ...op.loop,
    ...laneAddress(VEC), ...op.v128Load, ...op.set(VV),
    ...es.flatMap((e) => [
      ...op.get(ACC(e)), ...laneAddress(ROW(e)), ...op.v128Load, ...op.get(VV), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(ACC(e)),
    ]),
    ...nextLane, ...op.end,
    // scales t·c + sgn·(c − 1)·dot
    ...es.flatMap((e) => [
      ...entrySlot(CONF), ...op.f32LoadAt(4 * e), ...op.set(C),
      ...op.get(T), ...op.get(C), ...op.f32Mul,
      ...op.get(SGN), ...op.get(C), ...op.f32Const(1), ...op.f32Sub, ...op.f32Mul, ...hsum(ACC(e)), ...op.f32Mul, ...op.f32Add,
      ...op.f32x4Splat, ...op.set(SCALE(e)),
    ]),
    // out += Σ_e scale_e · y_e
    ...op.i32Const(0), ...op.set(F),
    ...op.loop,
    ...laneAddress(OUT),
    ...laneAddress(OUT), ...op.v128Load,
    ...es.flatMap((e) => [...op.get(SCALE(e)), ...laneAddress(ROW(e)), ...op.v128Load, ...op.f32x4Mul, ...op.f32x4Add]),
    ...op.v128Store,
    ...nextLane, ...op.end,
    ...op.get(J), ...op.i32Const(width), ...op.i32Add, ...op.set(J),
    ...op.br(0), ...op.end, ...op.end,
  ];
}

/** Entries GROUP at a time (each load of v and of out serves GROUP rows), then one at a time. */
const dataTerms: WasmFunction = {
  name: 'dataTerms',
  params: [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32],
  locals: [I32, I32, I32, F32, V128, ...new Array<number>(GROUP).fill(I32), ...new Array<number>(2 * GROUP).fill(V128)],
  body: [
    ...op.get(K), ...op.i32Const(2), ...op.i32Shl, ...op.set(KB),
    ...op.get(START), ...op.set(J),
    ...entryLoop(GROUP),
    ...entryLoop(1),
  ],
};

// matVec locals: m 0, v 1, out 2, k 3, then a (byte offset of the output) 4, f 5, kb 6, row 7, acc 8
const MV = { M: 0, V: 1, O: 2, K: 3, A: 4, F: 5, KB: 6, ROW: 7, ACC: 8 };
const matVec: WasmFunction = {
  name: 'matVec',
  params: [I32, I32, I32, I32],
  locals: [I32, I32, I32, I32, V128],
  body: [
    ...op.get(MV.K), ...op.i32Const(2), ...op.i32Shl, ...op.set(MV.KB),
    ...op.get(MV.M), ...op.set(MV.ROW),
    ...op.i32Const(0), ...op.set(MV.A),
    ...op.loop,
    ...op.f32Const(0), ...op.f32x4Splat, ...op.set(MV.ACC),
    ...op.i32Const(0), ...op.set(MV.F),
    ...op.loop,
    ...op.get(MV.ACC),
    ...op.get(MV.ROW), ...op.get(MV.F), ...op.i32Add, ...op.v128Load,
    ...op.get(MV.V), ...op.get(MV.F), ...op.i32Add, ...op.v128Load,
    ...op.f32x4Mul, ...op.f32x4Add, ...op.set(MV.ACC),
    ...op.get(MV.F), ...op.i32Const(16), ...op.i32Add, ...op.tee(MV.F), ...op.get(MV.KB), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
    ...op.get(MV.O), ...op.get(MV.A), ...op.i32Add, ...hsum(MV.ACC), ...op.f32Store,
    ...op.get(MV.ROW), ...op.get(MV.KB), ...op.i32Add, ...op.set(MV.ROW),
    ...op.get(MV.A), ...op.i32Const(4), ...op.i32Add, ...op.tee(MV.A), ...op.get(MV.KB), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
  ],
};

// rankUpdate locals: rows 0, scale 1, n 2, k 3, a 4, then j 5, kb 6, row 7, p 8, f 9, arow 10, s 11, sp 12
// matVec's loops with the row count apart from k
const RD = { M: 0, V: 1, O: 2, K: 3, N: 4, A: 5, F: 6, KB: 7, ROW: 8, ACC: 9, NB: 10 };
const rowDots: WasmFunction = {
  name: 'rowDots',
  params: [I32, I32, I32, I32, I32],
  locals: [I32, I32, I32, I32, V128, I32],
  body: [
    ...op.get(RD.K), ...op.i32Const(2), ...op.i32Shl, ...op.set(RD.KB),
    ...op.get(RD.N), ...op.i32Const(2), ...op.i32Shl, ...op.set(RD.NB),
    ...op.get(RD.M), ...op.set(RD.ROW),
    ...op.i32Const(0), ...op.set(RD.A),
    ...op.loop,
    ...op.f32Const(0), ...op.f32x4Splat, ...op.set(RD.ACC),
    ...op.i32Const(0), ...op.set(RD.F),
    ...op.loop,
    ...op.get(RD.ACC),
    ...op.get(RD.ROW), ...op.get(RD.F), ...op.i32Add, ...op.v128Load,
    ...op.get(RD.V), ...op.get(RD.F), ...op.i32Add, ...op.v128Load,
    ...op.f32x4Mul, ...op.f32x4Add, ...op.set(RD.ACC),
    ...op.get(RD.F), ...op.i32Const(16), ...op.i32Add, ...op.tee(RD.F), ...op.get(RD.KB), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
    ...op.get(RD.O), ...op.get(RD.A), ...op.i32Add, ...hsum(RD.ACC), ...op.f32Store,
    ...op.get(RD.ROW), ...op.get(RD.KB), ...op.i32Add, ...op.set(RD.ROW),
    ...op.get(RD.A), ...op.i32Const(4), ...op.i32Add, ...op.tee(RD.A), ...op.get(RD.NB), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
  ],
};

// rangeDots locals: rows 0, v 1, out 2, k 3, ranges 4, count 5, then j (byte offset into ranges) 6, end 7, start 8
const RR = { ROWS: 0, V: 1, O: 2, K: 3, RANGES: 4, COUNT: 5, J: 6, END: 7, START: 8 };
const ROW_DOTS_INDEX = 3; // rowDots' place in the module (simdModule)
const rangeDots: WasmFunction = {
  name: 'rangeDots',
  params: [I32, I32, I32, I32, I32, I32],
  locals: [I32, I32, I32],
  body: [
    ...op.get(RR.COUNT), ...op.i32Const(3), ...op.i32Shl, ...op.set(RR.END),
    ...op.i32Const(0), ...op.set(RR.J),
    ...op.block, ...op.loop,
    ...op.get(RR.J), ...op.get(RR.END), ...op.i32GeS, ...op.brIf(1),
    ...op.get(RR.RANGES), ...op.get(RR.J), ...op.i32Add, ...op.i32LoadAt(0), ...op.set(RR.START),
    // rowDots(rows + start·k·4, v, out + start·4, k, end − start)
    ...op.get(RR.ROWS), ...op.get(RR.START), ...op.get(RR.K), ...op.i32Mul, ...op.i32Const(2), ...op.i32Shl, ...op.i32Add,
    ...op.get(RR.V),
    ...op.get(RR.O), ...op.get(RR.START), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add,
    ...op.get(RR.K),
    ...op.get(RR.RANGES), ...op.get(RR.J), ...op.i32Add, ...op.i32LoadAt(4), ...op.get(RR.START), ...op.i32Sub,
    ...op.call(ROW_DOTS_INDEX),
    ...op.get(RR.J), ...op.i32Const(8), ...op.i32Add, ...op.set(RR.J),
    ...op.br(0), ...op.end, ...op.end,
  ],
};

const RU = { ROWS: 0, SCALE: 1, N: 2, K: 3, A: 4, J: 5, KB: 6, ROW: 7, P: 8, F: 9, AROW: 10, S: 11, SP: 12 };
const rankUpdate: WasmFunction = {
  name: 'rankUpdate',
  params: [I32, I32, I32, I32, I32],
  locals: [I32, I32, I32, I32, I32, I32, F32, V128],
  body: [
    ...op.get(RU.K), ...op.i32Const(2), ...op.i32Shl, ...op.set(RU.KB),
    ...op.i32Const(0), ...op.set(RU.J),
    ...op.get(RU.ROWS), ...op.set(RU.ROW),
    ...op.block, ...op.loop,
    ...op.get(RU.J), ...op.get(RU.N), ...op.i32GeS, ...op.brIf(1),
    ...op.get(RU.SCALE), ...op.get(RU.J), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...op.f32LoadAt(0), ...op.set(RU.S),
    ...op.i32Const(0), ...op.set(RU.P),
    ...op.get(RU.A), ...op.set(RU.AROW),
    // for each p: a[p, :] += (s · r[p]) · r
    ...op.loop,
    ...op.get(RU.S), ...op.get(RU.ROW), ...op.get(RU.P), ...op.i32Add, ...op.f32LoadAt(0), ...op.f32Mul, ...op.f32x4Splat, ...op.set(RU.SP),
    ...op.i32Const(0), ...op.set(RU.F),
    ...op.loop,
    ...op.get(RU.AROW), ...op.get(RU.F), ...op.i32Add,
    ...op.get(RU.AROW), ...op.get(RU.F), ...op.i32Add, ...op.v128Load,
    ...op.get(RU.SP), ...op.get(RU.ROW), ...op.get(RU.F), ...op.i32Add, ...op.v128Load, ...op.f32x4Mul, ...op.f32x4Add,
    ...op.v128Store,
    ...op.get(RU.F), ...op.i32Const(16), ...op.i32Add, ...op.tee(RU.F), ...op.get(RU.KB), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
    ...op.get(RU.AROW), ...op.get(RU.KB), ...op.i32Add, ...op.set(RU.AROW),
    ...op.get(RU.P), ...op.i32Const(4), ...op.i32Add, ...op.tee(RU.P), ...op.get(RU.KB), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
    ...op.get(RU.ROW), ...op.get(RU.KB), ...op.i32Add, ...op.set(RU.ROW),
    ...op.get(RU.J), ...op.i32Const(1), ...op.i32Add, ...op.set(RU.J),
    ...op.br(0), ...op.end, ...op.end,
  ],
};

let compiled: WebAssembly.Module | undefined;

/** The compiled kernel module (compiled once per thread). */
export function simdModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(encodeModule([dataTerms, matVec, rankUpdate, rowDots, rangeDots]));
  return compiled;
}

/** The kernels bound to `memory`. */
export function instantiateKernels(memory: WebAssembly.Memory): SimdKernels {
  const instance = new WebAssembly.Instance(simdModule(), { env: { memory } });
  return instance.exports as unknown as SimdKernels;
}

/** True when this runtime runs the kernels (WebAssembly SIMD and shared memory) and k suits them. */
export function simdUsable(k: number): boolean {
  if (k % 4 !== 0) return false;
  try {
    simdModule();
    return true;
  } catch {
    return false;
  }
}
