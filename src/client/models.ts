/** Model lifecycle: versions, background training jobs, activate, rollback (docs/operations.md; admin scope). */
import { path, type RequestOptions, type Transport } from './transport.ts';
import type { ModelRecord, ModelsOverview, StoredEvaluation, TrainingJob, TrainInput } from './types.ts';

export interface WaitOptions extends RequestOptions {
  /** time between polls in ms (default 250) */
  intervalMs?: number;
}

/** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(signal?.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class ModelsApi {
  readonly #http: Transport;
  constructor(http: Transport) { this.#http = http; }

  /** Versions (newest first) with status and metrics, and what is loaded for serving (GET /v1/models). */
  list(options?: RequestOptions): Promise<ModelsOverview> {
    return this.#http.send({ method: 'GET', path: '/v1/models' }, options);
  }

  /** The latest offline evaluation kept in the data dir, or null when none was (GET /v1/models/evaluation). */
  async evaluation(options?: RequestOptions): Promise<StoredEvaluation | null> {
    return (await this.#http.send<{ evaluation: StoredEvaluation | null }>({ method: 'GET', path: '/v1/models/evaluation' }, options)).evaluation;
  }

  /** Starts a background training job; 409 VITRINE_MODEL_TRAINING_BUSY while one runs (POST /v1/models/train). */
  train(input: TrainInput = {}, options?: RequestOptions): Promise<TrainingJob> {
    return this.#http.send({ method: 'POST', path: '/v1/models/train', body: input }, options);
  }

  /** A training job's status, progress, log and registered versions (GET /v1/jobs/{id}). */
  job(jobId: string, options?: RequestOptions): Promise<TrainingJob> {
    return this.#http.send({ method: 'GET', path: path`/v1/jobs/${jobId}` }, options);
  }

  /**
   * Cancels a running job and returns it once stopped (`cancelled`; the version it was training is
   * `failed`); 409 VITRINE_JOB_NOT_RUNNING when it already ended (POST /v1/jobs/{id}/cancel).
   */
  cancel(jobId: string, options?: RequestOptions): Promise<TrainingJob> {
    return this.#http.send({ method: 'POST', path: path`/v1/jobs/${jobId}/cancel`, body: {} }, options);
  }

  /** Polls a job until it is no longer running and returns it (use `signal` to give up). */
  async waitForJob(jobId: string, options: WaitOptions = {}): Promise<TrainingJob> {
    for (;;) {
      const job = await this.job(jobId, options);
      if (job.status !== 'running') return job;
      await pause(options.intervalMs ?? 250, options.signal);
    }
  }

  /** Serves this version, loaded and verified first (POST /v1/models/{version}/activate). */
  async activate(version: string, options?: RequestOptions): Promise<ModelRecord> {
    return (await this.#http.send<{ model: ModelRecord }>({ method: 'POST', path: path`/v1/models/${version}/activate` }, options)).model;
  }

  /** Serves the previous version again and retires the current one (POST /v1/models/rollback). */
  rollback(algorithm?: string, options?: RequestOptions): Promise<{ active: ModelRecord; retired?: ModelRecord }> {
    return this.#http.send({ method: 'POST', path: '/v1/models/rollback', body: algorithm === undefined ? {} : { algorithm } }, options);
  }
}
