/**
 * A page worker (ADR 0010): its own store connection and serving replica (catalogue, models,
 * merchandising, page engine, and the online state of the members it serves). It composes their pages
 * and lists and applies every change the HTTP thread forwards, answering each message once it is done.
 */
import { Gauge, Registry } from 'prom-client';
import { getHeapStatistics } from 'node:v8';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { VitrineError } from '../../core/errors.ts';
import { startTaskTrace, taskTraceThresholdMs } from '../../core/task-trace.ts';
import { nameThisThread } from '../../core/thread-name.ts';
import { openStore } from '../../storage/open-store.ts';
import { registerPayloadMetrics, SharedPayloads } from '../models/shared-payloads.ts';
import { ServingReplica } from '../replica/serving-replica.ts';
import { ChangeOrder } from './change-order.ts';
import type { PageWorkerData, WorkerReply, WorkerRequest, WorkerStatus } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('page-worker.ts runs as a worker thread (page-worker-pool.ts starts it)');
const { config, clockOffsetMs, payloads: handed } = workerData as PageWorkerData;
nameThisThread('page-worker');
const log = (level: 'warn' | 'info', message: string) => port.postMessage({ log: level, message } satisfies WorkerStatus);

try {
  const store = await openStore(config.store.url, {
    sqlite: {
      synchronous: config.store.synchronous, busyTimeoutMs: config.store.busyTimeoutMs, maxSizeBytes: config.store.maxSizeBytes || undefined,
      // the HTTP process checkpoints the file; this worker's page records are committed off its own thread too
      backgroundCheckpoint: false, backgroundImpressionLog: true,
    },
    postgres: { poolSize: config.store.poolSize, lockTimeoutMs: config.store.busyTimeoutMs, maxSizeBytes: config.store.maxSizeBytes || undefined },
  });
  const clock = clockOffsetMs === 0 ? Date.now : () => Date.now() + clockOffsetMs;
  const payloads = new SharedPayloads(handed);
  const registry = new Registry();
  const replica = await ServingReplica.start({
    config, store, clock, warn: (m) => log('warn', m), info: (m) => log('info', m), payloads, registry,
  });
  registerPayloadMetrics(registry, payloads, 'worker');
  // added up over the workers by /metrics: their heaps in all, and what bounds them
  new Gauge({ name: 'vitrine_page_worker_heap_used_bytes', help: 'Page workers\' V8 heaps in use, all workers', registers: [registry], collect() { this.set(getHeapStatistics().used_heap_size); } });
  // committed, garbage and free pages included: what the heaps cost in RSS
  new Gauge({ name: 'vitrine_page_worker_heap_total_bytes', help: 'Page workers\' V8 heaps committed, all workers', registers: [registry], collect() { this.set(getHeapStatistics().total_heap_size); } });
  new Gauge({ name: 'vitrine_page_worker_heap_limit_bytes', help: 'Page workers\' V8 heap limits, all workers (serving.pageWorkerHeapMb)', registers: [registry], collect() { this.set(getHeapStatistics().heap_size_limit); } });

  // messages take effect in the order the HTTP thread sent them, though some changes (a model reload) await
  const order = new ChangeOrder();
  const answer = async (request: WorkerRequest): Promise<WorkerReply> => {
    const { id } = request;
    try {
      if (request.op === 'page' || request.op === 'list') {
        await order.beforeRead();
        return request.op === 'page' ? { id, json: await replica.page(request.userId, request.query) } : { id, list: await replica.list(request.query) };
      }
      if (request.op === 'metrics') return { id, metrics: await registry.getMetricsAsJSON() };
      const change = request.change;
      await order.apply(change.kind, () => replica.apply(change));
      return { id, done: true };
    } catch (err) {
      const code = err instanceof VitrineError ? err.code : undefined;
      return { id, error: { ...(code ? { code } : {}), message: err instanceof Error ? err.message : String(err) } };
    }
  };
  // off unless VITRINE_TASK_TRACE_MS is set: this worker's long stretches of CPU, between which messages (core/task-trace.ts)
  const trace = startTaskTrace(`page-worker ${threadId}`);
  const seen = taskTraceThresholdMs() === undefined ? undefined : new Set<string>();
  const what = (r: WorkerRequest) => r.op === 'page' ? `page ${r.userId}${seen?.has(r.userId) ? '' : ' first'}` : r.op === 'change' ? `change ${r.change.kind}` : r.op;
  port.on('message', (request: WorkerRequest | 'stop') => {
    if (request === 'stop') {
      trace.stop();
      // stopWorker: everything sent before is answered; the pages served are logged; the thread then ends
      void replica.close().then(() => store.close()).finally(() => port.close());
      return;
    }
    if (!seen) {
      void answer(request).then((reply) => port.postMessage(reply));
      return;
    }
    trace.mark(`begin ${what(request)}`);
    void answer(request).then((reply) => {
      port.postMessage(reply);
      trace.mark(`reply ${what(request)}`);
      if (request.op === 'page') seen.add(request.userId);
    });
  });
  port.postMessage({ ready: true } satisfies WorkerStatus);
} catch (err) {
  port.postMessage({ failed: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies WorkerStatus);
}
