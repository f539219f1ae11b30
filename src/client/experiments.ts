/** Experiments: weighted variants and their report (API.md § Models and experiments; admin scope). */
import { path, type RequestOptions, type Transport } from './transport.ts';
import type { Experiment, ExperimentInput, ExperimentReport } from './types.ts';

/** The body of PUT /v1/experiments/{id}: `status` defaults to draft. */
export type ExperimentPut = Omit<ExperimentInput, 'status'> & { status?: ExperimentInput['status'] };

export class ExperimentsApi {
  readonly #http: Transport;
  constructor(http: Transport) { this.#http = http; }

  /** Creates or replaces an experiment (PUT /v1/experiments/{id}); `warnings` tell of missing templates or overlaps. */
  put(experimentId: string, experiment: ExperimentPut, options?: RequestOptions): Promise<Experiment> {
    return this.#http.send({ method: 'PUT', path: path`/v1/experiments/${experimentId}`, body: experiment }, options);
  }

  /** One experiment (GET /v1/experiments/{id}); 404 VITRINE_EXPERIMENT_NOT_FOUND. */
  get(experimentId: string, options?: RequestOptions): Promise<Experiment> {
    return this.#http.send({ method: 'GET', path: path`/v1/experiments/${experimentId}` }, options);
  }

  /** Deletes an experiment; members leave it at once, its pages and events keep their labels (DELETE /v1/experiments/{id}). */
  delete(experimentId: string, options?: RequestOptions): Promise<{ id: string; deleted: boolean }> {
    return this.#http.send({ method: 'DELETE', path: path`/v1/experiments/${experimentId}` }, options);
  }

  /** Every experiment, oldest first (GET /v1/experiments). */
  async list(options?: RequestOptions): Promise<Experiment[]> {
    return (await this.#http.send<{ experiments: Experiment[] }>({ method: 'GET', path: '/v1/experiments' }, options)).experiments;
  }

  /** Per variant: users, impressions, clicks, rents, rates with 95% intervals, lift (GET /v1/experiments/{id}/report). */
  report(experimentId: string, options?: RequestOptions): Promise<ExperimentReport> {
    return this.#http.send({ method: 'GET', path: path`/v1/experiments/${experimentId}/report` }, options);
  }
}
