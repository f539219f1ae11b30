/**
 * EASE fit time on RTR's train items (EVALUATION.md global-time, C = 2017-07-01: 4,083 items; data from
 * Misra, Wan & McAuley, RecSys 2018) beside an independent numpy fit of the same closed form. Skips
 * with a reason when the RTR file, the `ease` trainer or numpy is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCsr } from '../src/ml/common/csr.ts';
import type { Trainer } from '../src/ml/model.ts';
import { getTrainer } from '../src/ml/registry.ts';
import { loadRtrGlobalTime } from './rtr-global-time.ts';

export type EaseComparison =
  | { skipped: string }
  | {
      items: number; users: number; nnz: number; lambda: number;
      vitrineSeconds: number; numpySeconds: number; numpyGram: string; ratio: number;
    };

// numpy reference (Steck's own recipe): G = XᵀX (scipy.sparse when present, else dense blocks of
// 4,096 members), G += λI, P = G⁻¹, B = −P / diag(P), diag(B) = 0. Prints seconds and the Gram path.
const NUMPY_EASE = `
import sys, time, numpy as np
pairs = np.fromfile(sys.argv[1], dtype=np.int32).reshape(-1, 2)
n_users, n_items, lam = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
t0 = time.perf_counter()
try:
    import scipy.sparse as sp
    x = sp.csr_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n_users, n_items))
    g = (x.T @ x).toarray(); path = 'scipy.sparse'
except ImportError:
    g = np.zeros((n_items, n_items)); path = 'dense blocks'
    bounds = np.searchsorted(pairs[:, 0], np.arange(0, n_users + 4096, 4096))
    for a, b in zip(bounds[:-1], bounds[1:]):
        if a == b: continue
        rows = pairs[a:b, 0] - pairs[a, 0]
        x = np.zeros((rows[-1] + 1, n_items)); x[rows, pairs[a:b, 1]] = 1.0
        g += x.T @ x
g[np.diag_indices(n_items)] += lam
p = np.linalg.inv(g)
bmat = p / (-np.diag(p)); bmat[np.diag_indices(n_items)] = 0
print(time.perf_counter() - t0, path)
`;

/** True when `python3 -c "import numpy"` works. */
export function numpyAvailable(): boolean {
  return spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
}

/** Fits EASE (λ = 500) with Vitrine and with numpy on the same binary matrix; seconds for each. */
export async function compareEaseWithNumpy(): Promise<EaseComparison> {
  let trainer: Trainer;
  try {
    trainer = getTrainer('ease');
  } catch {
    return { skipped: 'no `ease` trainer registered yet' };
  }
  const split = await loadRtrGlobalTime();
  if (!split) return { skipped: 'RTR data absent at ../shared/data/rtr/' };
  if (!numpyAvailable()) return { skipped: 'python3 with numpy not available' };
  const train = split.train;
  const lambda = 500;
  const began = performance.now();
  await trainer.train({ interactions: train }, { lambda });
  const vitrineSeconds = (performance.now() - began) / 1000;

  const binary = buildCsr(train.userIds.length, train.itemIds.length, train.users, train.items, undefined, 'binary');
  const pairs = new Int32Array(2 * binary.indices.length);
  for (let u = 0; u < binary.nRows; u++) {
    for (let j = binary.indptr[u]; j < binary.indptr[u + 1]; j++) {
      pairs[2 * j] = u;
      pairs[2 * j + 1] = binary.indices[j];
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'vitrine-ease-numpy-'));
  try {
    const file = join(dir, 'pairs.i32');
    await writeFile(file, pairs);
    const out = execFileSync('python3', ['-c', NUMPY_EASE, file, String(binary.nRows), String(binary.nCols), String(lambda)], {
      encoding: 'utf8',
    });
    const [seconds, ...path] = out.trim().split(' ');
    const numpySeconds = Number(seconds);
    return {
      items: binary.nCols, users: binary.nRows, nnz: binary.indices.length, lambda,
      vitrineSeconds, numpySeconds, numpyGram: path.join(' '), ratio: vitrineSeconds / numpySeconds,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
