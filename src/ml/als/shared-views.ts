/**
 * Typed arrays described for a worker thread: the shared buffer they view (a SharedArrayBuffer or a
 * shared wasm memory's buffer), their offset and length; the worker rebuilds the same views.
 */
import { VitrineError } from '../../core/errors.ts';
import type { Csr } from '../common/csr.ts';

export interface SharedView {
  buffer: SharedArrayBuffer;
  byteOffset: number;
  length: number;
}

export interface SharedCsrView {
  nRows: number;
  nCols: number;
  indptr: SharedView;
  indices: SharedView;
  values: SharedView;
}

/** The description of `a`, which must view shared memory. */
export function describeView(a: Float32Array | Float64Array | Int32Array): SharedView {
  if (!(a.buffer instanceof SharedArrayBuffer)) throw new VitrineError('VITRINE_INTERNAL_ERROR', 'als: worker buffers must be shared');
  return { buffer: a.buffer, byteOffset: a.byteOffset, length: a.length };
}

/** The description of a CSR matrix on shared memory. */
export function describeCsr(m: Csr): SharedCsrView {
  return { nRows: m.nRows, nCols: m.nCols, indptr: describeView(m.indptr), indices: describeView(m.indices), values: describeView(m.values) };
}

export const float32View = (v: SharedView): Float32Array => new Float32Array(v.buffer, v.byteOffset, v.length);
export const float64View = (v: SharedView): Float64Array => new Float64Array(v.buffer, v.byteOffset, v.length);
export const int32View = (v: SharedView): Int32Array => new Int32Array(v.buffer, v.byteOffset, v.length);

/** The CSR matrix a description stands for. */
export function csrView(m: SharedCsrView): Csr {
  return { nRows: m.nRows, nCols: m.nCols, indptr: int32View(m.indptr), indices: int32View(m.indices), values: float32View(m.values) };
}
