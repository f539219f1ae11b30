/**
 * The typed Vitrine API client (`vitrine/client`). Depends only on `fetch`, so it runs in Node ≥ 20
 * and in browsers (a shop's pages load it as /ui/vitrine-client.js). See docs/client.md.
 */
import { ItemsApi } from './catalogue.ts';
import { EventsApi } from './events.ts';
import { ExperimentsApi } from './experiments.ts';
import { CarouselsApi, PagesApi } from './merchandising.ts';
import { UsersApi } from './members.ts';
import { ModelsApi } from './models.ts';
import { OperationsApi } from './operations.ts';
import { RecommendationsApi } from './recommendations.ts';
import { Transport, type VitrineClientOptions } from './transport.ts';

/** One server's API, by area: `client.items.put(…)`, `client.recommendations.page(…)`, … */
export class VitrineClient {
  /** catalogue (write scope to change, read to look) */
  readonly items: ItemsApi;
  /** members (write scope to change, read to look) */
  readonly users: UsersApi;
  /** the pixel endpoint (write scope) */
  readonly events: EventsApi;
  /** pages, lists, similar, rank, occasions (read scope) */
  readonly recommendations: RecommendationsApi;
  /** stylists' carousels (admin scope) */
  readonly carousels: CarouselsApi;
  /** page templates (admin scope) */
  readonly pages: PagesApi;
  /** model versions and training (admin scope) */
  readonly models: ModelsApi;
  /** experiments and their reports (admin scope) */
  readonly experiments: ExperimentsApi;
  /** health, readiness, metrics (public), store counts (read scope) */
  readonly ops: OperationsApi;
  readonly #http: Transport;

  constructor(options: VitrineClientOptions = {}) {
    const http = new Transport(options);
    this.#http = http;
    this.items = new ItemsApi(http);
    this.users = new UsersApi(http);
    this.events = new EventsApi(http);
    this.recommendations = new RecommendationsApi(http);
    this.carousels = new CarouselsApi(http);
    this.pages = new PagesApi(http);
    this.models = new ModelsApi(http);
    this.experiments = new ExperimentsApi(http);
    this.ops = new OperationsApi(http);
  }

  /** The server this client talks to ('' = same origin). */
  get baseUrl(): string {
    return this.#http.baseUrl;
  }
}

/** Same as `new VitrineClient(options)`. */
export function createClient(options: VitrineClientOptions = {}): VitrineClient {
  return new VitrineClient(options);
}

export { UNEXPECTED_RESPONSE, VitrineApiError, type ApiErrorCode } from './errors.ts';
export type { ExperimentPut } from './experiments.ts';
export type { WaitOptions } from './models.ts';
export { DEFAULT_TIMEOUT_MS, type FetchLike, type RequestOptions, type VitrineClientOptions } from './transport.ts';
export type * from './types.ts';
