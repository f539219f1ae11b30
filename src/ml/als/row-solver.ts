/**
 * Everything one thread needs to run its share of a half-iteration: both half steps (members against
 * item factors, items against member factors) over the same buffers, and its own scratch. Used as is
 * by the calling thread (single-thread path) and by each worker on shared views.
 */
import type { Csr } from '../common/csr.ts';
import { cgScratch, solveRowsCg, type CgScratch } from './cg-solve.ts';
import { simdCgScratch, solveRowsCgSimd, type SimdCgScratch } from './cg-simd.ts';
import { exactScratch, solveRowsExact, type ExactScratch } from './exact-solve.ts';
import { gramBlockRange, gramOfRows } from './gramian.ts';
import type { HalfStep } from './half-step.ts';
import type { AlsSolver } from './params.ts';
import { instantiateKernels, type SimdKernels } from './simd-kernels.ts';

/** 'users' re-solves member factors (against items); 'items' re-solves item factors. */
export type Side = 'users' | 'items';

export interface AlsBuffers {
  k: number;
  solver: AlsSolver;
  cgSteps: number;
  byUser: Csr;
  byItem: Csr;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  /** the current half step's sourceᵀsource + λI (k × k) */
  gram: Float64Array;
  /** its inverse (exact solver only: the Woodbury path for rows with few entries) */
  gramInverse: Float64Array;
  /** GRAM_BLOCKS partial upper triangles, combined in order by the coordinating thread */
  gramBlocks: Float64Array;
  /** present when CG runs on the SIMD kernels: every array above then lives in `memory` */
  simd?: {
    memory: WebAssembly.Memory;
    /** `gram` as float32, for the kernels */
    gram32: Float32Array;
    /** 4·k floats per thread slot */
    scratch: Float32Array;
  };
}

export class RowSolver {
  private readonly steps: Record<Side, HalfStep>;
  private readonly cg: CgScratch;
  private readonly exact: ExactScratch;
  private readonly kernels: SimdKernels | undefined;
  private readonly simdScratch: SimdCgScratch | undefined;

  /** `slot` picks this thread's scratch in the shared memory (0 for the calling thread, w for worker w). */
  constructor(private readonly b: AlsBuffers, slot: number) {
    const { k, gram, gramInverse } = b;
    this.steps = {
      users: { k, gram, gramInverse, target: b.userFactors, source: b.itemFactors, ...csrParts(b.byUser) },
      items: { k, gram, gramInverse, target: b.itemFactors, source: b.userFactors, ...csrParts(b.byItem) },
    };
    this.cg = cgScratch(k);
    this.exact = exactScratch(k);
    if (b.simd) {
      this.kernels = instantiateKernels(b.simd.memory);
      this.simdScratch = simdCgScratch(b.simd.scratch.subarray(slot * 4 * k, (slot + 1) * 4 * k), k);
    }
  }

  /** Rows `side` has to solve. */
  rows(side: Side): number {
    return this.steps[side].indptr.length - 1;
  }

  /** Re-solves rows [from, to) of `side`. */
  solveRows(side: Side, from: number, to: number): void {
    const step = this.steps[side];
    const { solver, cgSteps, simd } = this.b;
    if (solver === 'exact') solveRowsExact(step, from, to, this.exact);
    else if (simd && this.kernels && this.simdScratch) solveRowsCgSimd(step, from, to, cgSteps, this.kernels, simd.gram32, this.simdScratch);
    else solveRowsCg(step, from, to, cgSteps, this.cg);
  }

  /** Partial Gram block `block` of the factors `side` is solved against (the other side's). */
  gramBlock(side: Side, block: number): void {
    const { k } = this.b;
    const source = this.steps[side].source;
    const [from, to] = gramBlockRange(source.length / k, block);
    gramOfRows(source, k, from, to, this.b.gramBlocks.subarray(block * k * k, (block + 1) * k * k));
  }
}

function csrParts(m: Csr): Pick<HalfStep, 'indptr' | 'indices' | 'conf'> {
  return { indptr: m.indptr, indices: m.indices, conf: m.values };
}
