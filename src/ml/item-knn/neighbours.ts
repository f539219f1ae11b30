/**
 * The k nearest items of every item by cosine over member columns, computed sparsely: item j's
 * co-occurrences come from walking the rows of the members who have j, so the cost is
 * Σ_members (items per member)², never nItems².
 */
import type { Csr } from '../common/csr.ts';
import { transposeCsr } from '../common/csr.ts';
import { BoundedMinHeap } from '../common/top-n.ts';

export interface NeighbourOptions {
  k: number;
  /** added to the cosine denominator: damps similarities resting on few common members */
  shrinkage: number;
  /** called every few hundred items; may throw to abort */
  onItems?: (done: number, total: number) => void;
}

/** Row j lists the k items most similar to j (never j), most similar first, with their cosines. */
export function itemNeighbours(userItems: Csr, opts: NeighbourOptions): Csr {
  const nItems = userItems.nCols;
  const itemUsers = transposeCsr(userItems);
  const norms = new Float64Array(nItems);
  for (let k = 0; k < userItems.values.length; k++) norms[userItems.indices[k]] += userItems.values[k] ** 2;
  for (let i = 0; i < nItems; i++) norms[i] = Math.sqrt(norms[i]);

  const acc = new Float64Array(nItems);
  const stamp = new Int32Array(nItems).fill(-1);
  const touched = new Int32Array(nItems);
  const indptr = new Int32Array(nItems + 1);
  const chunks: Array<{ items: Int32Array; sims: Float32Array }> = [];
  const { indptr: up, indices: ui, values: uv } = userItems;
  for (let j = 0; j < nItems; j++) {
    let nTouched = 0;
    for (let t = itemUsers.indptr[j]; t < itemUsers.indptr[j + 1]; t++) {
      const u = itemUsers.indices[t];
      const xuj = itemUsers.values[t];
      for (let s = up[u]; s < up[u + 1]; s++) {
        const i = ui[s];
        if (stamp[i] !== j) {
          stamp[i] = j;
          acc[i] = 0;
          touched[nTouched++] = i;
        }
        acc[i] += uv[s] * xuj;
      }
    }
    const heap = new BoundedMinHeap(Math.min(opts.k, nTouched));
    for (let t = 0; t < nTouched; t++) {
      const i = touched[t];
      if (i === j) continue;
      const sim = acc[i] / (norms[i] * norms[j] + opts.shrinkage);
      if (sim > 0) heap.push(sim, i);
    }
    const order = heap.sortedIndexes();
    chunks.push({ items: order, sims: Float32Array.from(order, (i) => acc[i] / (norms[i] * norms[j] + opts.shrinkage)) });
    indptr[j + 1] = indptr[j] + order.length;
    if (opts.onItems && (j & 255) === 255) opts.onItems(j + 1, nItems);
  }
  const indices = new Int32Array(indptr[nItems]);
  const values = new Float32Array(indptr[nItems]);
  chunks.forEach((c, j) => {
    indices.set(c.items, indptr[j]);
    values.set(c.sims, indptr[j]);
  });
  return { nRows: nItems, nCols: nItems, indptr, indices, values };
}
