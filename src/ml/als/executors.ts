/**
 * Where half-iterations run: on the calling thread (small data, no start-up cost) or on a pool of
 * worker threads sharing the factors. Both compute the Gram matrix in the same fixed blocks and solve
 * each row from the same inputs, so they produce bit-identical factors.
 */
import type { Worker } from 'node:worker_threads';
import { VitrineError } from '../../core/errors.ts';
import type { Csr } from '../common/csr.ts';
import { spawnModuleWorker } from '../common/spawn-worker.ts';
import { invertSpd } from './cholesky.ts';
import { combineGramBlocks, GRAM_BLOCKS } from './gramian.ts';
import { RowSolver, type AlsBuffers, type Side } from './row-solver.ts';
import { describeCsr, describeView } from './shared-views.ts';
import type { AlsTask, AlsWorkerData } from './solver-worker.ts';

export interface AlsExecutor {
  /** Sets `gram` to (factors `side` is solved against)ᵀ(same) + λI. */
  gram(side: Side, regularization: number): Promise<void>;
  /** Re-solves every row of `side`. */
  solve(side: Side): Promise<void>;
  close(): Promise<void>;
}

/** Runs everything on the calling thread. */
export class LocalExecutor implements AlsExecutor {
  private readonly solver: RowSolver;

  constructor(private readonly b: AlsBuffers) {
    this.solver = new RowSolver(b, 0);
  }

  async gram(side: Side, regularization: number): Promise<void> {
    for (let block = 0; block < GRAM_BLOCKS; block++) this.solver.gramBlock(side, block);
    finishGram(this.b, regularization);
  }

  async solve(side: Side): Promise<void> {
    this.solver.solveRows(side, 0, this.solver.rows(side));
    // let timers and abort signals run between half-iterations
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  async close(): Promise<void> {}
}

/** Splits each half-iteration across `size` worker threads; every buffer must be shared. */
export class WorkerExecutor implements AlsExecutor {
  private constructor(
    private readonly b: AlsBuffers,
    private readonly workers: Worker[],
    private readonly cursor: Int32Array,
  ) {}

  /** Starts the pool over the shared buffers `b`. */
  static start(b: AlsBuffers, size: number): WorkerExecutor {
    const cursor = new Int32Array(new SharedArrayBuffer(4));
    const data: Omit<AlsWorkerData, 'slot'> = {
      k: b.k,
      solver: b.solver,
      cgSteps: b.cgSteps,
      byUser: describeCsr(b.byUser),
      byItem: describeCsr(b.byItem),
      userFactors: describeView(b.userFactors),
      itemFactors: describeView(b.itemFactors),
      gram: describeView(b.gram),
      gramInverse: describeView(b.gramInverse),
      gramBlocks: describeView(b.gramBlocks),
      simd: b.simd && { memory: b.simd.memory, gram32: describeView(b.simd.gram32), scratch: describeView(b.simd.scratch) },
      cursor: cursor.buffer as SharedArrayBuffer,
    };
    const entry = new URL('./solver-worker.ts', import.meta.url);
    const workers = Array.from({ length: size }, (_, slot) => spawnModuleWorker(entry, { ...data, slot } satisfies AlsWorkerData));
    return new WorkerExecutor(b, workers, cursor);
  }

  async gram(side: Side, regularization: number): Promise<void> {
    // block b on worker b mod size: the blocks, not the threads, fix the summation order
    const tasks: Promise<void>[] = [];
    for (let block = 0; block < GRAM_BLOCKS; block++) {
      tasks.push(this.run(this.workers[block % this.workers.length], { op: 'gram', side, block }));
    }
    await Promise.all(tasks);
    finishGram(this.b, regularization);
  }

  async solve(side: Side): Promise<void> {
    const m = side === 'users' ? this.b.byUser : this.b.byItem;
    Atomics.store(this.cursor, 0, 0);
    const chunk = chunkRows(m);
    await Promise.all(this.workers.map((w) => this.run(w, { op: 'solve', side, chunk })));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private run(worker: Worker, task: AlsTask): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const cleanup = (): void => {
        worker.off('message', onDone);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onDone = (): void => {
        cleanup();
        resolve();
      };
      const onError = (err: Error): void => {
        cleanup();
        reject(new VitrineError('VITRINE_INTERNAL_ERROR', `als: a solver worker failed: ${err.message}`, undefined, { cause: err }));
      };
      const onExit = (code: number): void => {
        cleanup();
        reject(new VitrineError('VITRINE_INTERNAL_ERROR', `als: a solver worker exited (code ${code})`));
      };
      worker.once('message', onDone);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage(task);
    });
  }
}

/** Sums the partial blocks into `gram` (+ λI), inverts it (exact) or rounds it for the kernels (SIMD): the same code on any executor. */
function finishGram(b: AlsBuffers, regularization: number): void {
  combineGramBlocks(b.gramBlocks, b.k, regularization, b.gram);
  if (b.solver === 'exact') invertSpd(b.gram, b.k, b.gramInverse);
  b.simd?.gram32.set(b.gram);
}

// ~20k stored entries per claimed chunk: long enough to hide the atomic, short enough to balance
const ENTRIES_PER_CHUNK = 20_000;

function chunkRows(m: Csr): number {
  const perRow = m.indices.length / Math.max(1, m.nRows);
  return Math.max(1, Math.min(1024, Math.round(ENTRIES_PER_CHUNK / Math.max(1, perRow))));
}
