/**
 * A small pool of sweep workers bound to one shared matrix: each block step is split by rows among
 * them, and the main thread's event loop stays free while they run.
 */
import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../common/spawn-worker.ts';
import type { SweepBuffers, SweepStep } from './sweep-kernel.ts';
import type { SweepTask, SweepWorkerData } from './sweep-worker.ts';

export class SweepPool {
  private readonly workers: Worker[];

  private constructor(workers: Worker[]) {
    this.workers = workers;
  }

  /** Starts `size` workers over the shared sweep buffers. */
  static start(size: number, shared: SweepBuffers): SweepPool {
    const data: SweepWorkerData = {
      a: shared.a.buffer as SharedArrayBuffer,
      q: shared.q.buffer as SharedArrayBuffer,
      m: shared.m.buffer as SharedArrayBuffer,
      pivotInverse: shared.pivotInverse.buffer as SharedArrayBuffer,
      n: shared.n,
      b: shared.b,
    };
    const entry = new URL('./sweep-worker.ts', import.meta.url);
    const workers = Array.from({ length: size }, () => spawnModuleWorker(entry, data));
    return new SweepPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs one step: worker p updates rows parts[p]. */
  run(step: SweepStep, parts: ReadonlyArray<[number, number]>): Promise<void> {
    return Promise.all(
      parts.map(([from, to], p) => {
        const worker = this.workers[p];
        return new Promise<void>((resolve, reject) => {
          const onError = (err: Error): void => {
            worker.off('message', onDone);
            reject(err);
          };
          const onDone = (): void => {
            worker.off('error', onError);
            resolve();
          };
          worker.once('message', onDone);
          worker.once('error', onError);
          const task: SweepTask = { k0: step.k0, k1: step.k1, from, to };
          worker.postMessage(task);
        });
      }),
    ).then(() => undefined);
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

