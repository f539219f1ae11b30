/**
 * Background training jobs (POST /v1/models/train), one at a time: a second request while one runs is
 * refused with 409. A job trains in a worker thread with its own store connection, so serving keeps
 * its latency; when it ends, the model manager reloads the registry and hot-swaps whatever the gate
 * activated. Finished jobs are remembered (the last 50) for GET /v1/jobs/:jobId.
 * A running job can be cancelled (POST /v1/jobs/:jobId/cancel): the trainers' AbortSignal fires (in the
 * worker, through a shared flag the worker reads at every progress report, since a busy worker reads no
 * messages); the version being trained is registered `failed`, never active. A worker that does not
 * stop within the grace period is terminated and its `training` rows are marked failed here.
 */
import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { VitrineError, type ErrorCode } from '../../core/errors.ts';
import { failInterruptedTraining } from '../../pipeline/interrupted-training.ts';
import { spawnModuleWorker } from '../../ml/common/spawn-worker.ts';
import { checkTrainingRequest } from '../../ml/registry.ts';
import { DEFAULT_TRAIN_ALGORITHMS, trainModels } from '../../pipeline/model-training.ts';
import type { PositivesConfig } from '../../pipeline/training-data.ts';
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
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
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
  /** model artifacts kept per algorithm after a run (models.keepVersions) */
  keepVersions?: number;
  /** training.easeMaxItems */
  easeMaxItems?: number;
  /** training.positives */
  positives?: PositivesConfig;
  /** false: train on this thread (a store a second connection cannot open, e.g. sqlite::memory:) */
  inWorker: boolean;
  clock?: () => number;
  /** how long a cancelled worker may take to stop on its own before it is terminated, ms (default 10 s) */
  cancelGraceMs?: number;
}

/** The running job's handles. */
interface ActiveJob {
  jobId: string;
  worker?: Worker;
  /** aborts training on this thread (runHere) */
  controller: AbortController;
  /** [0] = 1 once cancelled: what the worker polls */
  cancelFlag: Int32Array;
  cancelled: boolean;
}

const KEEP_JOBS = 50;
const CANCEL_GRACE_MS = 10_000;
const KEEP_LOG_LINES = 100;
const WORKER_ENTRY = new URL('./training-worker.ts', import.meta.url);

export class TrainingJobs {
  private readonly jobs = new Map<string, JobStatus>();
  private readonly finished = new Map<string, Promise<JobStatus>>();
  private active?: ActiveJob;
  private readonly clock: () => number;

  constructor(private readonly opts: TrainingJobsOptions) {
    this.clock = opts.clock ?? Date.now;
  }

  /** Starts a training job; VITRINE_MODEL_TRAINING_BUSY (409) while another runs. */
  start(request: TrainRequest = {}): JobStatus {
    if (this.active) {
      throw new VitrineError('VITRINE_MODEL_TRAINING_BUSY', `job ${this.active.jobId} is still training`, { jobId: this.active.jobId });
    }
    // a bad request is a 400 with no job: nothing is registered, nothing runs
    checkTrainingRequest(request.algorithms ?? DEFAULT_TRAIN_ALGORITHMS, request.params);
    const job: JobStatus = {
      jobId: `train-${randomUUID()}`, kind: 'train', status: 'running', createdAt: this.clock(), log: [], models: [],
      ...(request.algorithms ? { algorithms: request.algorithms } : {}),
    };
    this.remember(job);
    const active: ActiveJob = {
      jobId: job.jobId, controller: new AbortController(), cancelFlag: new Int32Array(new SharedArrayBuffer(4)), cancelled: false,
    };
    this.active = active;
    const run = this.opts.inWorker ? this.runInWorker(job, request, active) : this.runHere(job, request, active);
    const settled = run
      .then(async (records) => {
        job.models = records.map(({ version, algorithm, status, metrics, note }) => ({ version, algorithm, status, metrics, note }));
        await this.opts.models.reload();
        await this.opts.afterReload?.();
        job.status = 'succeeded';
      })
      .catch(async (err: unknown) => {
        job.status = active.cancelled ? 'cancelled' : 'failed';
        // a terminated or crashed worker left its version in `training`: nothing will finish it
        const reason = active.cancelled ? 'training was cancelled' : 'the training job stopped before it finished';
        await failInterruptedTraining(this.opts.store, reason).catch(() => undefined);
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

  /**
   * Cancels the running job `jobId` and resolves with it once it has stopped (`cancelled`; `succeeded`
   * when it finished first). VITRINE_JOB_NOT_FOUND / VITRINE_JOB_NOT_RUNNING otherwise.
   */
  async cancel(jobId: string): Promise<JobStatus> {
    const job = this.jobs.get(jobId);
    if (!job) throw new VitrineError('VITRINE_JOB_NOT_FOUND', `no job "${jobId}"`);
    const active = this.active;
    if (active?.jobId !== jobId) throw new VitrineError('VITRINE_JOB_NOT_RUNNING', `job ${jobId} has already ${job.status}`, { status: job.status });
    active.cancelled = true;
    Atomics.store(active.cancelFlag, 0, 1);
    active.controller.abort();
    const grace = setTimeout(() => void active.worker?.terminate(), this.opts.cancelGraceMs ?? CANCEL_GRACE_MS);
    try {
      return await (this.finished.get(jobId) as Promise<JobStatus>);
    } finally {
      clearTimeout(grace);
    }
  }

  /** Stops a running worker (app shutdown); its job ends as failed. */
  async close(): Promise<void> {
    const worker = this.active?.worker;
    if (worker) await worker.terminate();
  }

  private runInWorker(job: JobStatus, request: TrainRequest, active: ActiveJob): Promise<ModelRecord[]> {
    const data: TrainingWorkerData = {
      storeUrl: this.opts.storeUrl, dataDir: this.opts.dataDir, algorithms: request.algorithms, params: request.params, gate: this.opts.gate,
      keepVersions: this.opts.keepVersions,
      cancelFlag: active.cancelFlag,
      easeMaxItems: this.opts.easeMaxItems,
      positives: this.opts.positives,
    };
    return new Promise((resolve, reject) => {
      const worker = spawnModuleWorker(WORKER_ENTRY, data);
      active.worker = worker;
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

  private runHere(job: JobStatus, request: TrainRequest, active: ActiveJob): Promise<ModelRecord[]> {
    return trainModels(this.opts.store, this.opts.dataDir, {
      algorithms: request.algorithms, params: request.params, gate: this.opts.gate, easeMaxItems: this.opts.easeMaxItems, positives: this.opts.positives, clock: this.clock,
      signal: active.controller.signal, keepVersions: this.opts.keepVersions,
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
