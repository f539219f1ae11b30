/**
 * Background training jobs (POST /v1/models/train), one at a time: a second request while one runs is
 * refused with 409. A job trains in a worker thread with its own store connection, so serving keeps
 * its latency; when it ends, the model manager reloads the registry and hot-swaps whatever the gate
 * activated. Finished jobs are remembered (the last 50) for GET /v1/jobs/:jobId.
 */
import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { VitrineError, type ErrorCode } from '../../core/errors.ts';
import { spawnModuleWorker } from '../../ml/common/spawn-worker.ts';
import { getTrainer } from '../../ml/registry.ts';
import { trainModels } from '../../pipeline/model-training.ts';
import type { GateOptions } from '../../pipeline/validation-gate.ts';
import type { ModelRecord, Store } from '../../storage/store.ts';
import type { RegistryModelManager } from './model-manager.ts';
import type { TrainingWorkerData, TrainingWorkerMessage } from './training-messages.ts';

export interface TrainRequest {
  algorithms?: string[];
  params?: Record<string, Record<string, unknown>>;
}

export interface JobStatus {
  jobId: string;
  kind: 'train';
  status: 'running' | 'succeeded' | 'failed';
  algorithms?: string[];
  createdAt: number;
  finishedAt?: number;
  progress?: { algorithm: string; fraction: number; label: string };
  /** the last log lines */
  log: string[];
  /** the versions registered: active (passed the gate) or rejected, with metrics */
  models: Array<Pick<ModelRecord, 'version' | 'algorithm' | 'status' | 'metrics' | 'note'>>;
  error?: { code: ErrorCode; message: string };
}

export interface TrainingJobsOptions {
  store: Store;
  /** how the worker opens its own connection to the same store */
  storeUrl: string;
  dataDir: string;
  models: RegistryModelManager;
  /** after a job's models are loaded here: the page workers load them too */
  afterReload?: () => Promise<void>;
  gate: GateOptions | false;
  /** training.easeMaxItems */
  easeMaxItems?: number;
  /** false: train on this thread (a store a second connection cannot open, e.g. sqlite::memory:) */
  inWorker: boolean;
  clock?: () => number;
}

const KEEP_JOBS = 50;
const KEEP_LOG_LINES = 100;
const WORKER_ENTRY = new URL('./training-worker.ts', import.meta.url);

export class TrainingJobs {
  private readonly jobs = new Map<string, JobStatus>();
  private readonly finished = new Map<string, Promise<JobStatus>>();
  private active?: { jobId: string; worker?: Worker };
  private readonly clock: () => number;

  constructor(private readonly opts: TrainingJobsOptions) {
    this.clock = opts.clock ?? Date.now;
  }

  /** Starts a training job; VITRINE_MODEL_TRAINING_BUSY (409) while another runs. */
  start(request: TrainRequest = {}): JobStatus {
    if (this.active) {
      throw new VitrineError('VITRINE_MODEL_TRAINING_BUSY', `job ${this.active.jobId} is still training`, { jobId: this.active.jobId });
    }
    for (const name of [...(request.algorithms ?? []), ...Object.keys(request.params ?? {})]) getTrainer(name);
    const job: JobStatus = {
      jobId: `train-${randomUUID()}`, kind: 'train', status: 'running', createdAt: this.clock(), log: [], models: [],
      ...(request.algorithms ? { algorithms: request.algorithms } : {}),
    };
    this.remember(job);
    this.active = { jobId: job.jobId };
    const run = this.opts.inWorker ? this.runInWorker(job, request) : this.runHere(job, request);
    const settled = run
      .then(async (records) => {
        job.models = records.map(({ version, algorithm, status, metrics, note }) => ({ version, algorithm, status, metrics, note }));
        await this.opts.models.reload();
        await this.opts.afterReload?.();
        job.status = 'succeeded';
      })
      .catch((err: unknown) => {
        job.status = 'failed';
        job.error = err instanceof VitrineError
          ? { code: err.code, message: err.message }
          : { code: 'VITRINE_INTERNAL_ERROR', message: err instanceof Error ? err.message : String(err) };
      })
      .then(() => {
        job.finishedAt = this.clock();
        this.active = undefined;
        return job;
      });
    this.finished.set(job.jobId, settled);
    return job;
  }

  /** A job's status, or undefined when unknown (or long forgotten). */
  get(jobId: string): JobStatus | undefined {
    return this.jobs.get(jobId);
  }

  /** Resolves when the job has finished (tests, the CLI); undefined for an unknown job. */
  done(jobId: string): Promise<JobStatus> | undefined {
    return this.finished.get(jobId);
  }

  /** The running job, if any. */
  running(): JobStatus | undefined {
    return this.active ? this.jobs.get(this.active.jobId) : undefined;
  }

  /** Stops a running worker (app shutdown); its job ends as failed. */
  async close(): Promise<void> {
    const worker = this.active?.worker;
    if (worker) await worker.terminate();
  }

  private runInWorker(job: JobStatus, request: TrainRequest): Promise<ModelRecord[]> {
    const data: TrainingWorkerData = {
      storeUrl: this.opts.storeUrl, dataDir: this.opts.dataDir, algorithms: request.algorithms, params: request.params, gate: this.opts.gate,
      easeMaxItems: this.opts.easeMaxItems,
    };
    return new Promise((resolve, reject) => {
      const worker = spawnModuleWorker(WORKER_ENTRY, data);
      if (this.active) this.active.worker = worker;
      worker.on('message', (message: TrainingWorkerMessage) => {
        if (message.type === 'log') this.addLog(job, message.line);
        else if (message.type === 'progress') job.progress = { algorithm: message.algorithm, fraction: message.fraction, label: message.label };
        else {
          if (message.type === 'done') resolve(message.records);
          else reject(new VitrineError(message.code, message.message));
          // the answer is in: whatever the trainers left running in the worker is not waited for
          void worker.terminate();
        }
      });
      worker.on('error', (err) => reject(err));
      // settles nothing when the answer came first (a promise settles once)
      worker.on('exit', (code) => reject(new VitrineError('VITRINE_INTERNAL_ERROR',
        `the training worker stopped (exit code ${code}) before it finished`)));
    });
  }

  private runHere(job: JobStatus, request: TrainRequest): Promise<ModelRecord[]> {
    return trainModels(this.opts.store, this.opts.dataDir, {
      algorithms: request.algorithms, params: request.params, gate: this.opts.gate, easeMaxItems: this.opts.easeMaxItems, clock: this.clock,
      log: (line) => this.addLog(job, line),
      onProgress: (algorithm, fraction, label) => { job.progress = { algorithm, fraction, label }; },
    });
  }

  private addLog(job: JobStatus, line: string): void {
    job.log.push(line);
    if (job.log.length > KEEP_LOG_LINES) job.log.shift();
  }

  private remember(job: JobStatus): void {
    this.jobs.set(job.jobId, job);
    while (this.jobs.size > KEEP_JOBS) {
      const oldest = this.jobs.keys().next().value as string;
      this.jobs.delete(oldest);
      this.finished.delete(oldest);
    }
  }
}
