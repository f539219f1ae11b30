/**
 * A worker thread that runs its share of each sweep step's row update on matrices shared with the
 * main thread (SharedArrayBuffer); the main thread sequences the steps.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sweepRows, type SweepBuffers } from './sweep-kernel.ts';

export interface SweepWorkerData {
  a: SharedArrayBuffer;
  q: SharedArrayBuffer;
  m: SharedArrayBuffer;
  pivotInverse: SharedArrayBuffer;
  n: number;
  b: number;
}

export interface SweepTask {
  k0: number;
  k1: number;
  from: number;
  to: number;
}

const data = workerData as SweepWorkerData;
const buffers: SweepBuffers = {
  a: new Float64Array(data.a),
  q: new Float64Array(data.q),
  m: new Float64Array(data.m),
  pivotInverse: new Float64Array(data.pivotInverse),
  n: data.n,
  b: data.b,
};

parentPort?.on('message', (task: SweepTask) => {
  sweepRows({ ...buffers, k0: task.k0, k1: task.k1 }, task.from, task.to);
  parentPort?.postMessage('done');
});
