/**
 * The implicit-feedback objective ALS minimises, for monitoring and tests:
 *   Σ_(u,i) c_ui (p_ui − x_u·y_i)² + λ (Σ‖x_u‖² + Σ‖y_i‖²)
 * over all member × item cells, computed without visiting the zero cells (as implicit's calculate_loss):
 * Σ_u x_uᵀ(YᵀY)x_u covers every cell as if c = 1, p = 0, then the stored entries are corrected.
 */
import type { ConfidenceMatrices } from './confidence-matrices.ts';
import type { AlsFactors } from './fit.ts';
import { gramWithRegularization } from './gramian.ts';

/** The objective divided by the number of cells (nUsers × nItems). */
export function alsLoss(m: ConfidenceMatrices, f: AlsFactors, regularization: number): number {
  const { k, userFactors: x, itemFactors: y } = f;
  const yty = gramWithRegularization(y, k, 0);
  const { indptr, indices, values } = m.byUser;
  let total = 0;
  for (let u = 0; u < m.nUsers; u++) {
    const xo = u * k;
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += yty[a * k + b] * x[xo + b];
      total += x[xo + a] * s;
    }
    for (let j = indptr[u]; j < indptr[u + 1]; j++) {
      const yo = indices[j] * k;
      let s = 0;
      for (let f2 = 0; f2 < k; f2++) s += x[xo + f2] * y[yo + f2];
      total += values[j] * (1 - s) * (1 - s) - s * s;
    }
  }
  let norms = 0;
  for (let j = 0; j < x.length; j++) norms += x[j] * x[j];
  for (let j = 0; j < y.length; j++) norms += y[j] * y[j];
  return (total + regularization * norms) / (m.nUsers * m.nItems);
}
