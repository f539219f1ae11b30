/**
 * The Gram matrix YᵀY of one side's factors, precomputed once per half-iteration. It is summed over a
 * fixed number of row blocks in a fixed order, so one thread or two give bit-identical results.
 */

/** Row blocks the Gram matrix is split into, whatever the thread count (determinism). */
export const GRAM_BLOCKS = 2;

/** Rows [from, to) of block `b` of `nRows` rows. */
export function gramBlockRange(nRows: number, b: number): [number, number] {
  const size = Math.ceil(nRows / GRAM_BLOCKS);
  return [Math.min(nRows, b * size), Math.min(nRows, (b + 1) * size)];
}

/** out (k × k, upper triangle only) = Σ y_r y_rᵀ over rows [from, to) of `y`. */
export function gramOfRows(y: Float32Array, k: number, from: number, to: number, out: Float64Array): void {
  out.fill(0, 0, k * k);
  let r = from;
  // four rows per pass: each element of the triangle is loaded and stored once per four rows
  for (; r + 3 < to; r += 4) {
    const o0 = r * k, o1 = o0 + k, o2 = o1 + k, o3 = o2 + k;
    for (let a = 0; a < k; a++) {
      const x0 = y[o0 + a], x1 = y[o1 + a], x2 = y[o2 + a], x3 = y[o3 + a];
      const row = a * k;
      for (let b = a; b < k; b++) out[row + b] += x0 * y[o0 + b] + x1 * y[o1 + b] + x2 * y[o2 + b] + x3 * y[o3 + b];
    }
  }
  for (; r < to; r++) {
    const o = r * k;
    for (let a = 0; a < k; a++) {
      const x = y[o + a];
      const row = a * k;
      for (let b = a; b < k; b++) out[row + b] += x * y[o + b];
    }
  }
}

/**
 * gram = Σ blocks (in block order) + λI, symmetric. `blocks` holds GRAM_BLOCKS upper triangles of
 * k × k one after another.
 */
export function combineGramBlocks(blocks: Float64Array, k: number, regularization: number, gram: Float64Array): void {
  const kk = k * k;
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let s = 0;
      for (let blk = 0; blk < GRAM_BLOCKS; blk++) s += blocks[blk * kk + a * k + b];
      if (a === b) s += regularization;
      gram[a * k + b] = s;
      gram[b * k + a] = s;
    }
  }
}

/** YᵀY + λI of all rows of `y` on the calling thread (fold-in, tests, the single-thread path). */
export function gramWithRegularization(y: Float32Array, k: number, regularization: number): Float64Array {
  const nRows = y.length / k;
  const blocks = new Float64Array(GRAM_BLOCKS * k * k);
  for (let b = 0; b < GRAM_BLOCKS; b++) {
    const [from, to] = gramBlockRange(nRows, b);
    gramOfRows(y, k, from, to, blocks.subarray(b * k * k, (b + 1) * k * k));
  }
  const gram = new Float64Array(k * k);
  combineGramBlocks(blocks, k, regularization, gram);
  return gram;
}
