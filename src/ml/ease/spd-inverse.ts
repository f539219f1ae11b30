/**
 * Inverse of a dense symmetric positive-definite matrix by the blocked sweep operator (Goodnight 1979):
 * sweeping every pivot block turns A into −A⁻¹. Each block step is a rank-b update of the lower
 * triangle (the GEMM-like bulk, n³ flops in all), which parallelises by rows with no other coordination.
 */
import { sweepRows, type SweepBuffers, type SweepStep } from './sweep-kernel.ts';
import { SweepPool } from './sweep-pool.ts';

export interface SpdInverseOptions {
  blockSize?: number;
  /** worker threads for the row updates; 1 (default) runs everything in this thread */
  threads?: number;
  /** called after every block step with the fraction done; may throw to abort */
  onStep?: (fraction: number) => void;
}

/** Allocates an n × n matrix that sweep workers can share. */
export function sharedMatrix(n: number): Float64Array {
  return sharedFloat64(n * n);
}

/**
 * Inverts the SPD matrix `a` (n × n, row-major) in place; returns false when it is not positive definite.
 * With `threads` > 1, `a` must live in a SharedArrayBuffer (see `sharedMatrix`).
 */
export async function invertSpdInPlace(a: Float64Array, n: number, opts: SpdInverseOptions = {}): Promise<boolean> {
  const b = Math.max(1, Math.min(opts.blockSize ?? 64, n));
  const threads = Math.max(1, Math.floor(opts.threads ?? 1));
  if (threads === 1) {
    const buffers = { a, n, b, q: new Float64Array(n * b), m: new Float64Array(n * b), pivotInverse: new Float64Array(b * b) };
    return sweepAll(buffers, opts.onStep, async (step) => sweepRows(step, 0, n));
  }
  if (!(a.buffer instanceof SharedArrayBuffer)) throw new TypeError('invertSpdInPlace: threads > 1 needs a shared matrix');
  const buffers = { a, n, b, q: sharedFloat64(n * b), m: sharedFloat64(n * b), pivotInverse: sharedFloat64(b * b) };
  const pool = SweepPool.start(threads, buffers);
  try {
    const parts = balancedRowParts(n, threads);
    return await sweepAll(buffers, opts.onStep, (step) => pool.run(step, parts));
  } finally {
    await pool.close();
  }
}

async function sweepAll(
  buffers: SweepBuffers,
  onStep: ((fraction: number) => void) | undefined,
  runRows: (step: SweepStep) => Promise<void>,
): Promise<boolean> {
  const { a, n, b, m, pivotInverse } = buffers;
  for (let k0 = 0; k0 < n; k0 += b) {
    const k1 = Math.min(k0 + b, n);
    if (!invertSmallSpd(a, n, k0, k1 - k0, pivotInverse)) return false;
    packColumns(a, n, k0, k1, b, m);
    await runRows({ ...buffers, k0, k1 });
    // A_KK ← −A_KK⁻¹ (lower triangle)
    const kb = k1 - k0;
    for (let r = 0; r < kb; r++) for (let c = 0; c <= r; c++) a[(k0 + r) * n + k0 + c] = -pivotInverse[r * kb + c];
    onStep?.(k1 / n);
  }
  // A now holds −A⁻¹ in its lower triangle: negate and mirror
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const v = -a[ri + j];
      a[ri + j] = v;
      a[j * n + i] = v;
    }
  }
  return true;
}

/** Row ranges with about equal lower-triangle area (row i costs ~i). */
export function balancedRowParts(n: number, parts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = 0;
  for (let p = 1; p <= parts; p++) {
    const to = p === parts ? n : Math.round(n * Math.sqrt(p / parts));
    out.push([from, Math.max(from, to)]);
    from = Math.max(from, to);
  }
  return out;
}

function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}

/** M_j = A[j, K], read from the lower triangle (A[K, j] for j < k0). */
function packColumns(a: Float64Array, n: number, k0: number, k1: number, b: number, m: Float64Array): void {
  for (let r = k0; r < k1; r++) {
    const row = r * n;
    const c = r - k0;
    for (let j = 0; j < k0; j++) m[j * b + c] = a[row + j];
  }
  for (let j = k1; j < n; j++) {
    const row = j * n;
    for (let c = 0; c < k1 - k0; c++) m[j * b + c] = a[row + k0 + c];
  }
  // a ragged last block leaves columns [kb, b) of M zero, so the kernel can always run b wide
  if (k1 - k0 < b) for (let j = 0; j < n; j++) for (let c = k1 - k0; c < b; c++) m[j * b + c] = 0;
}

/** Inverts the kb × kb diagonal block at k0 (lower triangle of `a`) by Cholesky into `out` (full, row-major). */
function invertSmallSpd(a: Float64Array, n: number, k0: number, kb: number, out: Float64Array): boolean {
  const l = new Float64Array(kb * kb);
  for (let i = 0; i < kb; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[(k0 + i) * n + k0 + j];
      for (let k = 0; k < j; k++) s -= l[i * kb + k] * l[j * kb + k];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return false;
        l[i * kb + i] = Math.sqrt(s);
      } else {
        l[i * kb + j] = s / l[j * kb + j];
      }
    }
  }
  // W = L⁻¹ (lower), then A⁻¹ = Wᵀ W
  const w = new Float64Array(kb * kb);
  for (let i = 0; i < kb; i++) {
    w[i * kb + i] = 1 / l[i * kb + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * kb + k] * w[k * kb + j];
      w[i * kb + j] = s / l[i * kb + i];
    }
  }
  for (let i = 0; i < kb; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < kb; k++) s += w[k * kb + i] * w[k * kb + j];
      out[i * kb + j] = s;
      out[j * kb + i] = s;
    }
  }
  return true;
}
