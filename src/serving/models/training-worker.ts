/**
 * The training job's worker thread: opens its own connection to the store, runs the training
 * pipeline (train → save → validation gate → register) and reports progress, log lines and the
 * registry records back to the serving thread, which then reloads its models.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { VitrineError } from '../../core/errors.ts';
import { nameThisThread } from '../../core/thread-name.ts';
import { trainModels } from '../../pipeline/model-training.ts';
import { openStore } from '../../storage/open-store.ts';
import type { TrainingWorkerData, TrainingWorkerMessage } from './training-messages.ts';

const input = workerData as TrainingWorkerData;
nameThisThread('training');
const post = (message: TrainingWorkerMessage): void => parentPort?.postMessage(message);
let lastProgress = 0;
// the trainers check the signal at their progress points; this thread is too busy to read a message,
// so the cancel arrives as a shared flag, read at every log line and progress report
const cancel = new AbortController();
const pollCancel = (): void => {
  if (input.cancelFlag && Atomics.load(input.cancelFlag, 0) === 1 && !cancel.signal.aborted) cancel.abort();
};

try {
  const store = await openStore(input.storeUrl);
  try {
    const records = await trainModels(store, input.dataDir, {
      algorithms: input.algorithms,
      params: input.params,
      gate: input.gate,
      easeMaxItems: input.easeMaxItems,
      positives: input.positives,
      keepVersions: input.keepVersions,
      signal: cancel.signal,
      log: (line) => {
        pollCancel();
        post({ type: 'log', line });
      },
      onProgress: (algorithm, fraction, label) => {
        pollCancel();
        const now = Date.now();
        if (now - lastProgress < 250 && fraction < 1) return;
        lastProgress = now;
        post({ type: 'progress', algorithm, fraction, label });
      },
    });
    post({ type: 'done', records });
  } finally {
    await store.close();
  }
} catch (err) {
  post({
    type: 'error',
    code: err instanceof VitrineError ? err.code : 'VITRINE_INTERNAL_ERROR',
    message: err instanceof Error ? err.message : String(err),
  });
}
