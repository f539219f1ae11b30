/**
 * A worker thread of the ALS pool: on each task it claims chunks of rows from a shared cursor until
 * none are left (dynamic balancing: item rows under a power law differ in cost by 10⁴×), or fills one
 * partial Gram block. Factors and matrices are views of memory shared with the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AlsSolver } from './params.ts';
import { RowSolver, type Side } from './row-solver.ts';
import { csrView, float32View, float64View, type SharedCsrView, type SharedView } from './shared-views.ts';

export interface AlsWorkerData {
  /** this worker's scratch slot */
  slot: number;
  k: number;
  solver: AlsSolver;
  cgSteps: number;
  byUser: SharedCsrView;
  byItem: SharedCsrView;
  userFactors: SharedView;
  itemFactors: SharedView;
  gram: SharedView;
  gramInverse: SharedView;
  gramBlocks: SharedView;
  simd?: { memory: WebAssembly.Memory; gram32: SharedView; scratch: SharedView };
  /** Int32 [next row to claim] */
  cursor: SharedArrayBuffer;
}

export type AlsTask = { op: 'solve'; side: Side; chunk: number } | { op: 'gram'; side: Side; block: number };

const data = workerData as AlsWorkerData;
const solver = new RowSolver({
  k: data.k,
  solver: data.solver,
  cgSteps: data.cgSteps,
  byUser: csrView(data.byUser),
  byItem: csrView(data.byItem),
  userFactors: float32View(data.userFactors),
  itemFactors: float32View(data.itemFactors),
  gram: float64View(data.gram),
  gramInverse: float64View(data.gramInverse),
  gramBlocks: float64View(data.gramBlocks),
  simd: data.simd && { memory: data.simd.memory, gram32: float32View(data.simd.gram32), scratch: float32View(data.simd.scratch) },
}, data.slot);
const cursor = new Int32Array(data.cursor);

parentPort?.on('message', (task: AlsTask) => {
  if (task.op === 'gram') {
    solver.gramBlock(task.side, task.block);
  } else {
    const n = solver.rows(task.side);
    for (let from = Atomics.add(cursor, 0, task.chunk); from < n; from = Atomics.add(cursor, 0, task.chunk)) {
      solver.solveRows(task.side, from, Math.min(n, from + task.chunk));
    }
  }
  parentPort?.postMessage('done');
});
