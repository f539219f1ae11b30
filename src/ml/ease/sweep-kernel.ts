/**
 * The row work of one step of the blocked sweep that inverts EASE's Gram matrix, for rows i outside
 * the pivot block K: Q_i = M_i · A_KK⁻¹, the rank-b update of the lower triangle A_ij -= Q_i · M_j, and
 * A_iK ← Q_i. Rows are independent, so workers split them with no locking. Pure typed-array code shared
 * by the main thread and the sweep workers.
 */

/** The matrices of a sweep: `q` and `m` are packed n × b (row i at i·b), `pivotInverse` is b × b. */
export interface SweepBuffers {
  a: Float64Array;
  n: number;
  q: Float64Array;
  m: Float64Array;
  b: number;
  pivotInverse: Float64Array;
}

/** One step: the pivot block is [k0, k1); `m` holds A[·, K] and `pivotInverse` A_KK⁻¹ (kb × kb). */
export interface SweepStep extends SweepBuffers {
  k0: number;
  k1: number;
}

/** Does the step's work for rows [rowFrom, rowTo) minus the pivot block. */
export function sweepRows(step: SweepStep, rowFrom: number, rowTo: number): void {
  const { k0, k1 } = step;
  const below: [number, number] = [rowFrom, Math.min(rowTo, k0)];
  const above: [number, number] = [Math.max(rowFrom, k1), rowTo];
  for (const [from, to] of [below, above]) computeQ(step, from, to);
  updateRowRange(step, below[0], below[1]);
  updateRowRange(step, above[0], above[1]);
  for (const [from, to] of [below, above]) writeQ(step, from, to);
}

/** Q_i = M_i · A_KK⁻¹ (zero-padded to b). */
function computeQ(step: SweepStep, from: number, to: number): void {
  const { q, m, b, pivotInverse, k0, k1 } = step;
  const kb = k1 - k0;
  for (let i = from; i < to; i++) {
    const mi = i * b;
    for (let c = 0; c < kb; c++) {
      let s = 0;
      for (let r = 0; r < kb; r++) s += m[mi + r] * pivotInverse[r * kb + c];
      q[mi + c] = s;
    }
    for (let c = kb; c < b; c++) q[mi + c] = 0;
  }
}

/** A_iK ← Q_i, stored in the lower triangle: row i for i ≥ k1, column i of rows K for i < k0. */
function writeQ(step: SweepStep, from: number, to: number): void {
  const { a, n, q, b, k0, k1 } = step;
  const kb = k1 - k0;
  for (let i = from; i < to; i++) {
    const qi = i * b;
    if (i >= k1) for (let c = 0; c < kb; c++) a[i * n + k0 + c] = q[qi + c];
    else for (let c = 0; c < kb; c++) a[(k0 + c) * n + i] = q[qi + c];
  }
}

// Column tiles keep a slab of M in L2 while every row group of the range streams past it.
const COLUMN_TILE = 256;

function updateRowRange(step: SweepStep, from: number, to: number): void {
  if (from >= to) return;
  const { k0, k1 } = step;
  // columns below the block [0, k0) and above it [k1, i]; rows of [from, to) all lie on one side of K
  for (let c0 = 0; c0 < to; c0 += COLUMN_TILE) {
    const c1 = Math.min(c0 + COLUMN_TILE, to);
    const lo = Math.max(c0, 0);
    // split the tile around the pivot block
    if (lo < k0) updateTile(step, from, to, lo, Math.min(c1, k0));
    if (c1 > k1) updateTile(step, from, to, Math.max(lo, k1), c1);
  }
}

/** Updates rows [from, to) over columns [j0, j1), keeping j ≤ i. */
function updateTile(step: SweepStep, from: number, to: number, j0: number, j1: number): void {
  const { a, n, q, m, b } = step;
  let i = Math.max(from, j0);
  // rows whose whole tile is below the diagonal (i ≥ j1 - 1) go four at a time
  for (; i < to && i < j1 - 1; i++) updateRowScalar(a, n, q, m, b, i, j0, Math.min(j1, i + 1));
  for (; i + 3 < to; i += 4) {
    const q0 = i * b, q1 = q0 + b, q2 = q1 + b, q3 = q2 + b;
    const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    let j = j0;
    for (; j + 1 < j1; j += 2) {
      const m0 = j * b, m1 = m0 + b;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let k = 0; k < b; k++) {
        const x0 = m[m0 + k], x1 = m[m1 + k];
        const y0 = q[q0 + k], y1 = q[q1 + k], y2 = q[q2 + k], y3 = q[q3 + k];
        s00 += y0 * x0; s01 += y0 * x1;
        s10 += y1 * x0; s11 += y1 * x1;
        s20 += y2 * x0; s21 += y2 * x1;
        s30 += y3 * x0; s31 += y3 * x1;
      }
      a[r0 + j] -= s00; a[r0 + j + 1] -= s01;
      a[r1 + j] -= s10; a[r1 + j + 1] -= s11;
      a[r2 + j] -= s20; a[r2 + j + 1] -= s21;
      a[r3 + j] -= s30; a[r3 + j + 1] -= s31;
    }
    if (j < j1) for (let r = 0; r < 4; r++) updateRowScalar(a, n, q, m, b, i + r, j, j + 1);
  }
  for (; i < to; i++) updateRowScalar(a, n, q, m, b, i, j0, Math.min(j1, i + 1));
}

function updateRowScalar(
  a: Float64Array, n: number, q: Float64Array, m: Float64Array, b: number, i: number, j0: number, j1: number,
): void {
  const qi = i * b;
  for (let j = j0; j < j1; j++) {
    const mj = j * b;
    let s = 0;
    for (let k = 0; k < b; k++) s += q[qi + k] * m[mj + k];
    a[i * n + j] -= s;
  }
}
