/**
 * Fold-in of a new or changed member: their vector is the exact solution of
 *   (YᵀY + λI + Yᵀ(C−I)Y) x = YᵀC·p
 * for their interactions, with YᵀY + λI (and its inverse) cached once per model. ≤ 12 interactions go
 * through the Woodbury identity; more form the 64 × 64 system — its rank-n update on the SIMD kernel
 * when k allows — and factor it by Cholesky (≈ 0.2 ms for 200 interactions).
 */
import { choleskySolveInPlace, choleskyUpperInPlace, invertSpd } from './cholesky.ts';
import { exactScratch, solveNormalEquations, WOODBURY_MAX_ENTRIES, type ExactScratch } from './exact-solve.ts';
import { gramWithRegularization } from './gramian.ts';
import { instantiateKernels, simdUsable, type SimdKernels } from './simd-kernels.ts';

/** A member's vector and how many of their interactions the model could not use. */
export interface FoldInResult {
  vector: Float32Array;
  /** interactions with an item the model never saw (e.g. added since training): ignored */
  unknownItems: number;
  /** distinct known items the vector was solved from */
  usedItems: number;
}

// item rows gathered into the wasm memory per kernel call
const BATCH = 256;

/** The kernel and its buffers in a small wasm memory of its own. */
interface RankUpdateSpace {
  kernels: SimdKernels;
  rows: Float32Array;
  scale: Float32Array;
  a: Float32Array;
}

export class FoldInSolver {
  private gram: Float64Array | undefined;
  private gramInverse: Float64Array | undefined;
  private readonly scratch: ExactScratch;
  private readonly simd: RankUpdateSpace | undefined;
  // reused per call: fold-in is on the serving path and must not allocate per interaction
  private indices = new Int32Array(256);
  private conf = new Float32Array(256);

  constructor(
    private readonly itemFactors: Float32Array,
    private readonly k: number,
    private readonly regularization: number,
    private readonly alpha: number,
  ) {
    this.scratch = exactScratch(k);
    this.simd = simdUsable(k) ? rankUpdateSpace(k) : undefined;
  }

  /** Solves for the member with items `items` of weights `weights` (distinct items). */
  solve(items: Int32Array, weights: Float32Array): Float32Array {
    const n = items.length;
    const { k } = this;
    if (this.conf.length < n) {
      this.indices = new Int32Array(n);
      this.conf = new Float32Array(n);
    }
    let used = 0;
    for (let j = 0; j < n; j++) {
      if (!(weights[j] > 0)) continue; // as in training: no negative preference
      this.indices[used] = items[j];
      this.conf[used] = 1 + this.alpha * weights[j];
      used++;
    }
    if (used === 0) return new Float32Array(k);
    const { gram, gramInverse } = this.prepare();
    if (this.simd && used > WOODBURY_MAX_ENTRIES) return Float32Array.from(this.solveWithKernel(this.simd, gram, used));
    return Float32Array.from(solveNormalEquations(this.itemFactors, k, gram, gramInverse, this.indices, this.conf, 0, used, this.scratch));
  }

  /**
   * YᵀY + λI and its inverse, computed on the first call: one pass over every item's factors
   * (60–80 ms of CPU at 20,000 items × 64), which serving does as the model loads rather than in
   * the first page that folds a member in (issue 22: a stall of that size in a page worker).
   */
  prepare(): { gram: Float64Array; gramInverse: Float64Array } {
    if (this.gram === undefined || this.gramInverse === undefined) {
      const { k } = this;
      this.gram = gramWithRegularization(this.itemFactors, k, this.regularization);
      this.gramInverse = new Float64Array(k * k);
      invertSpd(this.gram, k, this.gramInverse);
    }
    return { gram: this.gram, gramInverse: this.gramInverse };
  }

  /** whether prepare() has run (the Gram is computed) */
  get prepared(): boolean {
    return this.gram !== undefined;
  }

  /** A = YᵀY + λI + Σ (c − 1) y yᵀ with the sum on the SIMD kernel, b = Σ c y, then Cholesky. */
  private solveWithKernel(space: RankUpdateSpace, gram: Float64Array, n: number): Float64Array {
    const { k, itemFactors: y, indices, conf } = this;
    const { a, b } = this.scratch;
    const { kernels, rows, scale, a: a32 } = space;
    a32.fill(0);
    b.fill(0);
    for (let from = 0; from < n; from += BATCH) {
      const m = Math.min(BATCH, n - from);
      for (let j = 0; j < m; j++) {
        const o = indices[from + j] * k;
        const c = conf[from + j];
        const r = j * k;
        for (let f = 0; f < k; f++) {
          const v = y[o + f];
          rows[r + f] = v;
          b[f] += c * v;
        }
        scale[j] = c - 1;
      }
      kernels.rankUpdate(rows.byteOffset, scale.byteOffset, m, k, a32.byteOffset);
    }
    for (let p = 0; p < k; p++) {
      for (let q = p; q < k; q++) a[p * k + q] = gram[p * k + q] + a32[p * k + q];
    }
    choleskyUpperInPlace(a, k);
    choleskySolveInPlace(a, k, b);
    return b;
  }
}

function rankUpdateSpace(k: number): RankUpdateSpace {
  const bytes = 4 * (BATCH * k + BATCH + k * k);
  const pages = Math.ceil(bytes / 65536);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  return {
    kernels: instantiateKernels(memory),
    rows: new Float32Array(memory.buffer, 0, BATCH * k),
    scale: new Float32Array(memory.buffer, 4 * BATCH * k, BATCH),
    a: new Float32Array(memory.buffer, 4 * (BATCH * k + BATCH), k * k),
  };
}
