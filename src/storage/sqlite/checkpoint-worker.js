/* global setInterval, clearInterval */
// The WAL checkpointer's thread (wal-checkpointer.ts): its own connection to the file, a PASSIVE
// checkpoint every `intervalMs`. Plain JavaScript so the worker needs no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';

// the thread's name in top -H and /proc (as core/thread-name.ts; this worker loads no TypeScript)
try { writeFileSync('/proc/thread-self/comm', 'wal-checkpoint'); } catch { /* not Linux */ }

const db = new Database(workerData.path, { fileMustExist: true });
db.pragma(`busy_timeout = ${workerData.busyTimeoutMs}`);
db.pragma('wal_autocheckpoint = 0');

function checkpoint() {
  try {
    // PASSIVE copies what no reader still needs and never waits for (or blocks) the serving connection
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'checkpointed', ...result });
  } catch (err) {
    parentPort.postMessage({ type: 'failed', message: String(err?.message ?? err) });
  }
}

const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
parentPort.postMessage({ type: 'ready' });
