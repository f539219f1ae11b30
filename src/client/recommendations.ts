/** The read endpoints (API.md § Recommendations): pages of rows and one-list answers. */
import { path, type RequestOptions, type Transport } from './transport.ts';
import type { ForUserOptions, ItemList, Page, PageOptions, RecommendationsOptions } from './types.ts';

export class RecommendationsApi {
  readonly #http: Transport;
  constructor(http: Transport) { this.#http = http; }

  /** A page of personalised rows; unknown members get a cold-start page (GET /v1/users/{id}/page). */
  page(userId: string, query: PageOptions = {}, options?: RequestOptions): Promise<Page> {
    return this.#http.send({ method: 'GET', path: path`/v1/users/${userId}/page`, query }, options);
  }

  /** One list for a member, optionally of one category or size (GET /v1/users/{id}/recommendations). */
  forUser(userId: string, query: RecommendationsOptions = {}, options?: RequestOptions): Promise<ItemList> {
    return this.#http.send({ method: 'GET', path: path`/v1/users/${userId}/recommendations`, query }, options);
  }

  /** Items like this one, re-ranked for `userId` when given (GET /v1/items/{id}/similar). */
  similar(itemId: string, query: ForUserOptions = {}, options?: RequestOptions): Promise<ItemList> {
    return this.#http.send({ method: 'GET', path: path`/v1/items/${itemId}/similar`, query }, options);
  }

  /** The given items, best first for the member (POST /v1/users/{id}/rank). */
  rank(userId: string, itemIds: string[], options?: RequestOptions): Promise<ItemList> {
    return this.#http.send({ method: 'POST', path: path`/v1/users/${userId}/rank`, body: { itemIds } }, options);
  }

  /** What members rent for an occasion, personalised when `userId` is given (GET /v1/occasions/{occasion}/items). */
  occasion(occasion: string, query: ForUserOptions = {}, options?: RequestOptions): Promise<ItemList> {
    return this.#http.send({ method: 'GET', path: path`/v1/occasions/${occasion}/items`, query }, options);
  }
}
