/**
 * Compressed sparse rows over typed arrays: the user × item matrix every neighbourhood and linear model
 * starts from. Built with two counting-sort passes (O(nnz + rows + cols)), so columns come out sorted
 * within each row and repeated (row, column) pairs can be merged in one linear pass.
 */

export interface Csr {
  nRows: number;
  nCols: number;
  /** row r spans indices[indptr[r] .. indptr[r + 1]) */
  indptr: Int32Array;
  /** column of each stored value, ascending within a row */
  indices: Int32Array;
  values: Float32Array;
}

/** How repeated (row, column) pairs merge: 1 (binary), their sum, or their maximum. */
export type DuplicateRule = 'binary' | 'sum' | 'max';

/** Builds a CSR matrix from coordinate triples, merging duplicates by `rule`; `keep` drops entries. */
export function buildCsr(
  nRows: number,
  nCols: number,
  rows: Int32Array,
  cols: Int32Array,
  values: Float32Array | undefined,
  rule: DuplicateRule,
  keep?: (k: number) => boolean,
): Csr {
  const nnzIn = rows.length;
  // pass 1: order entries by column (stable), pass 2: by row (stable) → row-major, columns sorted
  const byCol = countingOrder(cols, nCols, identityOrder(nnzIn, keep));
  const order = countingOrder(rows, nRows, byCol);
  const indptr = new Int32Array(nRows + 1);
  const indices = new Int32Array(order.length);
  const out = new Float32Array(order.length);
  let nnz = 0;
  let lastRow = -1;
  let lastCol = -1;
  for (let t = 0; t < order.length; t++) {
    const k = order[t];
    const r = rows[k];
    const c = cols[k];
    const v = rule === 'binary' ? 1 : values ? values[k] : 1;
    if (r === lastRow && c === lastCol) {
      if (rule === 'sum') out[nnz - 1] += v;
      else if (rule === 'max' && v > out[nnz - 1]) out[nnz - 1] = v;
      continue;
    }
    indices[nnz] = c;
    out[nnz] = v;
    indptr[r + 1]++;
    nnz++;
    lastRow = r;
    lastCol = c;
  }
  for (let r = 0; r < nRows; r++) indptr[r + 1] += indptr[r];
  return { nRows, nCols, indptr, indices: indices.slice(0, nnz), values: out.slice(0, nnz) };
}

/** The transpose (columns become rows), with sorted indices. */
export function transposeCsr(m: Csr): Csr {
  const nnz = m.indices.length;
  const indptr = new Int32Array(m.nCols + 1);
  for (let k = 0; k < nnz; k++) indptr[m.indices[k] + 1]++;
  for (let c = 0; c < m.nCols; c++) indptr[c + 1] += indptr[c];
  const next = indptr.slice(0, m.nCols);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let r = 0; r < m.nRows; r++) {
    for (let k = m.indptr[r]; k < m.indptr[r + 1]; k++) {
      const dst = next[m.indices[k]]++;
      indices[dst] = r;
      values[dst] = m.values[k];
    }
  }
  return { nRows: m.nCols, nCols: m.nRows, indptr, indices, values };
}

/** Number of stored entries in each row. */
export function rowCounts(m: Csr): Int32Array {
  const out = new Int32Array(m.nRows);
  for (let r = 0; r < m.nRows; r++) out[r] = m.indptr[r + 1] - m.indptr[r];
  return out;
}

function identityOrder(n: number, keep?: (k: number) => boolean): Int32Array {
  if (!keep) {
    const all = new Int32Array(n);
    for (let k = 0; k < n; k++) all[k] = k;
    return all;
  }
  const kept: number[] = [];
  for (let k = 0; k < n; k++) if (keep(k)) kept.push(k);
  return Int32Array.from(kept);
}

/** Stable counting sort of the entry ids in `order` by `keys[entry]` ∈ [0, nKeys). */
function countingOrder(keys: Int32Array, nKeys: number, order: Int32Array): Int32Array {
  const start = new Int32Array(nKeys + 1);
  for (let t = 0; t < order.length; t++) start[keys[order[t]] + 1]++;
  for (let k = 0; k < nKeys; k++) start[k + 1] += start[k];
  const out = new Int32Array(order.length);
  for (let t = 0; t < order.length; t++) out[start[keys[order[t]]]++] = order[t];
  return out;
}
