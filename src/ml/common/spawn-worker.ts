/**
 * Starts a worker thread from a module that may be TypeScript. Under Node 20 a worker does not inherit
 * the main thread's tsx loader hooks (new Worker('x.ts') fails with ERR_UNKNOWN_FILE_EXTENSION), so
 * the worker first registers tsx, then imports the entry module.
 */
import { type ResourceLimits, Worker } from 'node:worker_threads';

/** A Worker running `entry` with `workerData`, registering tsx in it when the entry is TypeScript. */
export function spawnModuleWorker(entry: URL, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const options = { workerData, ...(resourceLimits ? { resourceLimits } : {}) };
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  let tsxApi: string;
  try {
    tsxApi = import.meta.resolve('tsx/esm/api');
  } catch {
    return new Worker(entry, options); // no tsx: the runtime strips types itself
  }
  const bootstrap = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), options);
}
