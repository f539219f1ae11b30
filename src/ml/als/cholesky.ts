/**
 * Cholesky factorisation A = UᵀU and solve, in place on a row-major k × k Float64Array. Only the upper
 * triangle is read; row-oriented so every inner loop walks contiguous memory.
 */

// a pivot this small means A is (numerically) singular, e.g. λ = 0 with too few interactions
const MIN_PIVOT = 1e-12;

/** Overwrites the upper triangle of `a` with U where A = UᵀU; tiny pivots are clamped (ridge). */
export function choleskyUpperInPlace(a: Float64Array, k: number): void {
  for (let i = 0; i < k; i++) {
    const ri = i * k;
    const d = Math.sqrt(Math.max(a[ri + i], MIN_PIVOT));
    a[ri + i] = d;
    const inv = 1 / d;
    for (let j = i + 1; j < k; j++) a[ri + j] *= inv;
    // trailing update: A[p, q] −= U[i, p]·U[i, q] for i < p ≤ q
    for (let p = i + 1; p < k; p++) {
      const u = a[ri + p];
      if (u === 0) continue;
      const rp = p * k;
      for (let q = p; q < k; q++) a[rp + q] -= u * a[ri + q];
    }
  }
}

/** Solves UᵀU x = b with the factor from `choleskyUpperInPlace`; `b` is overwritten with x. */
export function choleskySolveInPlace(u: Float64Array, k: number, b: Float64Array): void {
  // Uᵀ z = b, column by column of U (rows of Uᵀ), so the update walks row i of U
  for (let i = 0; i < k; i++) {
    const ri = i * k;
    const z = b[i] / u[ri + i];
    b[i] = z;
    for (let j = i + 1; j < k; j++) b[j] -= u[ri + j] * z;
  }
  // U x = z, bottom up
  for (let i = k - 1; i >= 0; i--) {
    const ri = i * k;
    let s = b[i];
    for (let j = i + 1; j < k; j++) s -= u[ri + j] * b[j];
    b[i] = s / u[ri + i];
  }
}

/** out = A⁻¹ for a symmetric positive definite k × k `a` (left untouched), via UᵀU and k solves. */
export function invertSpd(a: Float64Array, k: number, out: Float64Array): void {
  const u = Float64Array.from(a);
  choleskyUpperInPlace(u, k);
  const col = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    col.fill(0);
    col[c] = 1;
    choleskySolveInPlace(u, k, col);
    // A⁻¹ is symmetric: column c is row c
    for (let r = 0; r < k; r++) out[c * k + r] = col[r];
  }
}
