/**
 * The ALS training loop (Hu, Koren & Volinsky 2008): alternately re-solve every member against the
 * item factors and every item against the member factors, each half step with its Gram matrix
 * precomputed once. Work runs on the calling thread for small data, else on worker threads.
 */
import { availableParallelism } from 'node:os';
import { throwIfAborted } from '../common/train-input.ts';
import type { ConfidenceMatrices } from './confidence-matrices.ts';
import { LocalExecutor, WorkerExecutor, type AlsExecutor } from './executors.ts';
import { initFactors } from './init-factors.ts';
import type { AlsParams } from './params.ts';
import { placeBuffers, usesSimd } from './placement.ts';

export interface AlsFactors {
  k: number;
  /** nUsers × k, row-major */
  userFactors: Float32Array;
  /** nItems × k, row-major */
  itemFactors: Float32Array;
}

export interface AlsFitHooks {
  signal?: AbortSignal;
  onProgress?: (fraction: number, label: string) => void;
  /** after each full iteration (0-based), with the live factors (copy them to keep them) */
  onIteration?: (iteration: number, factors: AlsFactors) => void;
}

// below ~0.3 s of single-thread work, starting workers (~0.5 s under tsx) costs more than it saves
const MIN_WORK_FOR_WORKERS = 3e8;

/** Worker threads to use: 0 means the calling thread. `params.threads` 1 also means the calling thread. */
export function threadsFor(m: ConfidenceMatrices, p: AlsParams): number {
  if (p.threads > 0) return p.threads === 1 ? 0 : p.threads;
  const k = p.factors;
  const nnz = m.byUser.indices.length;
  const rows = m.nUsers + m.nItems;
  const work = p.solver === 'exact'
    ? 2 * nnz * k * k / 2 + rows * k * k * k / 6
    : 2 * (p.cgSteps + 1) * (2 * nnz * k + rows * k * k);
  // the SIMD kernels do CG's work ~4× faster
  if (work / (usesSimd(m, p) ? 4 : 1) < MIN_WORK_FOR_WORKERS) return 0;
  return Math.min(2, availableParallelism());
}

/** Trains factors on `m` with `threads` worker threads (0 = the calling thread). */
export async function fitAls(m: ConfidenceMatrices, p: AlsParams, threads: number, hooks: AlsFitHooks = {}): Promise<AlsFactors> {
  const k = p.factors;
  const buffers = placeBuffers(m, p, threads);
  initFactors(buffers.userFactors, buffers.itemFactors, p.seed);
  const factors: AlsFactors = { k, userFactors: buffers.userFactors, itemFactors: buffers.itemFactors };
  const executor: AlsExecutor = threads > 0 ? WorkerExecutor.start(buffers, threads) : new LocalExecutor(buffers);
  hooks.onProgress?.(0, `als: ${m.byUser.indices.length} entries placed, ${threads || 'no'} worker threads`);
  try {
    for (let it = 0; it < p.iterations; it++) {
      throwIfAborted('als', hooks.signal);
      await executor.gram('users', p.regularization);
      await executor.solve('users');
      throwIfAborted('als', hooks.signal);
      await executor.gram('items', p.regularization);
      await executor.solve('items');
      hooks.onProgress?.((it + 1) / p.iterations, `als iteration ${it + 1}/${p.iterations}`);
      hooks.onIteration?.(it, factors);
    }
  } finally {
    await executor.close();
  }
  // hand back ordinary arrays: the model outlives the workers and the arena
  return { k, userFactors: factors.userFactors.slice(), itemFactors: factors.itemFactors.slice() };
}
