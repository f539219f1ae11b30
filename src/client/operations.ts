/** Operations: liveness, readiness, Prometheus metrics, store counts, the OpenAPI document. */
import type { RequestOptions, Transport } from './transport.ts';
import type { Health, Readiness, Session, StoreStats } from './types.ts';

export class OperationsApi {
  readonly #http: Transport;
  constructor(http: Transport) { this.#http = http; }

  /** The process is alive (GET /healthz). */
  health(options?: RequestOptions): Promise<Health> {
    return this.#http.send({ method: 'GET', path: '/healthz' }, options);
  }

  /** The store answers and pages can be served; rejects with a 503 VitrineApiError otherwise (GET /readyz). */
  ready(options?: RequestOptions): Promise<Readiness> {
    return this.#http.send({ method: 'GET', path: '/readyz' }, options);
  }

  /** Prometheus metrics as exposition text (GET /metrics). */
  metrics(options?: RequestOptions): Promise<string> {
    return this.#http.send({ method: 'GET', path: '/metrics', as: 'text' }, options);
  }

  /** How many items, members and events the store holds (GET /v1/stats). */
  stats(options?: RequestOptions): Promise<StoreStats> {
    return this.#http.send({ method: 'GET', path: '/v1/stats' }, options);
  }

  /** What the client's key may do: its scopes, admin implying read and write (GET /v1/session). */
  session(options?: RequestOptions): Promise<Session> {
    return this.#http.send({ method: 'GET', path: '/v1/session' }, options);
  }

  /** The OpenAPI 3.1 document generated from the request schemas (GET /openapi.json). */
  openapi(options?: RequestOptions): Promise<Record<string, unknown>> {
    return this.#http.send({ method: 'GET', path: '/openapi.json' }, options);
  }
}
