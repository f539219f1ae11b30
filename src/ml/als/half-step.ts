/**
 * One ALS half-iteration's operands: every row of `target` is re-solved against the fixed `source`
 * factors. Rows are independent, so any split of rows across threads gives identical results.
 */

export interface HalfStep {
  /** latent dimension */
  k: number;
  /** rows × k, rewritten in place (row r at r·k) */
  target: Float32Array;
  /** the other side's factors, read only */
  source: Float32Array;
  /** CSR of the rows of `target`: columns index rows of `source` */
  indptr: Int32Array;
  indices: Int32Array;
  /** confidence c = 1 + alpha · weight of each stored entry */
  conf: Float32Array;
  /** sourceᵀ·source + λI, k × k row-major */
  gram: Float64Array;
  /** its inverse, when the exact solver wants it for rows with few entries (else unused) */
  gramInverse: Float64Array;
}

/** Number of rows a half step solves. */
export function rowCount(step: HalfStep): number {
  return step.indptr.length - 1;
}

/**
 * out += Σ_j (t·c_j + sgn·(c_j − 1)·(y_j · v)) · y_j over entries [start, end) — the data term of
 * both the CG residual (t = 1, sgn = −1) and the product A·p (t = 0, sgn = 1), without forming A.
 */
export function addDataTerms(
  step: HalfStep, start: number, end: number, v: Float64Array, out: Float64Array, t: number, sgn: number,
): void {
  const { k, source: y, indices, conf } = step;
  const kEven = k - (k % 2);
  let j = start;
  // four entries at a time: each load of v and each update of out serves four rows of y (~1.5× faster)
  for (; j + 3 < end; j += 4) {
    const oa = indices[j] * k, ob = indices[j + 1] * k, oc = indices[j + 2] * k, od = indices[j + 3] * k;
    let a0 = 0, a1 = 0, b0 = 0, b1 = 0, c0 = 0, c1 = 0, d0 = 0, d1 = 0;
    let f = 0;
    for (; f < kEven; f += 2) {
      const v0 = v[f], v1 = v[f + 1];
      a0 += y[oa + f] * v0; a1 += y[oa + f + 1] * v1;
      b0 += y[ob + f] * v0; b1 += y[ob + f + 1] * v1;
      c0 += y[oc + f] * v0; c1 += y[oc + f + 1] * v1;
      d0 += y[od + f] * v0; d1 += y[od + f + 1] * v1;
    }
    if (f < k) {
      const v0 = v[f];
      a0 += y[oa + f] * v0; b0 += y[ob + f] * v0; c0 += y[oc + f] * v0; d0 += y[od + f] * v0;
    }
    const ca = conf[j], cb = conf[j + 1], cc = conf[j + 2], cd = conf[j + 3];
    const sa = t * ca + sgn * (ca - 1) * (a0 + a1);
    const sb = t * cb + sgn * (cb - 1) * (b0 + b1);
    const sc = t * cc + sgn * (cc - 1) * (c0 + c1);
    const sd = t * cd + sgn * (cd - 1) * (d0 + d1);
    for (f = 0; f < k; f++) out[f] += sa * y[oa + f] + sb * y[ob + f] + sc * y[oc + f] + sd * y[od + f];
  }
  for (; j < end; j++) {
    const off = indices[j] * k;
    const c = conf[j];
    let d = 0;
    for (let f = 0; f < k; f++) d += y[off + f] * v[f];
    const s = t * c + sgn * (c - 1) * d;
    for (let f = 0; f < k; f++) out[f] += s * y[off + f];
  }
}

/** out = m · v for a k × k row-major matrix. */
export function symMatVec(m: Float64Array, v: Float64Array, out: Float64Array, k: number): void {
  let a = 0;
  // four output rows per pass share each load of v
  for (; a + 3 < k; a += 4) {
    const r0 = a * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let f = 0; f < k; f++) {
      const x = v[f];
      s0 += m[r0 + f] * x; s1 += m[r1 + f] * x; s2 += m[r2 + f] * x; s3 += m[r3 + f] * x;
    }
    out[a] = s0; out[a + 1] = s1; out[a + 2] = s2; out[a + 3] = s3;
  }
  for (; a < k; a++) {
    const row = a * k;
    let s = 0;
    for (let f = 0; f < k; f++) s += m[row + f] * v[f];
    out[a] = s;
  }
}
