/**
 * Stops a store worker thread (the WAL checkpointer, the page log's writer): 'stop' is posted after
 * everything already sent, so the worker finishes that and closes its connection; it is terminated
 * if it has not exited within `graceMs`. The worker is ref'd meanwhile: closing waits for it.
 */
import type { Worker } from 'node:worker_threads';

export async function stopWorker(worker: Worker, graceMs = 5000): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.ref();
  worker.postMessage('stop');
  await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref())]);
  await worker.terminate();
}
