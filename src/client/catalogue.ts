/** Catalogue: items, batch upserts, availability, the item listing (API.md § Catalogue). */
import { path, type RequestOptions, type Transport } from './transport.ts';
import type { Availability, AvailabilityResult, Item, ItemInput, ItemsBatchResult, ItemsPage, ItemWithId, ItemListOptions } from './types.ts';

export class ItemsApi {
  readonly #http: Transport;
  constructor(http: Transport) { this.#http = http; }

  /** Creates or replaces an item (PUT /v1/items/{id}). */
  put(itemId: string, item: ItemInput, options?: RequestOptions): Promise<Item> {
    return this.#http.send({ method: 'PUT', path: path`/v1/items/${itemId}`, body: item }, options);
  }

  /** Upserts up to 1000 items; each succeeds or is rejected on its own (POST /v1/items/batch). */
  batch(items: ItemWithId[], options?: RequestOptions): Promise<ItemsBatchResult> {
    return this.#http.send({ method: 'POST', path: '/v1/items/batch', body: { items } }, options);
  }

  /** One item (GET /v1/items/{id}); 404 VITRINE_ITEM_NOT_FOUND when unknown. */
  get(itemId: string, options?: RequestOptions): Promise<Item> {
    return this.#http.send({ method: 'GET', path: path`/v1/items/${itemId}` }, options);
  }

  /** Retires an item: never recommended again, history kept (DELETE /v1/items/{id}). */
  retire(itemId: string, options?: RequestOptions): Promise<Item> {
    return this.#http.send({ method: 'DELETE', path: path`/v1/items/${itemId}` }, options);
  }

  /** Sets the units of the sizes named, keeping the item's others; returns every size after it (PATCH /v1/items/{id}/availability). */
  updateAvailability(itemId: string, sizes: Availability, options?: RequestOptions): Promise<AvailabilityResult> {
    return this.#http.send({ method: 'PATCH', path: path`/v1/items/${itemId}/availability`, body: { sizes } }, options);
  }

  /** Replaces per-size units available: sizes not named are no longer offered (PUT /v1/items/{id}/availability). */
  setAvailability(itemId: string, sizes: Availability, options?: RequestOptions): Promise<AvailabilityResult> {
    return this.#http.send({ method: 'PUT', path: path`/v1/items/${itemId}/availability`, body: { sizes } }, options);
  }

  /** One page of items in id order; pass `next` back as `after` (GET /v1/items). */
  list(list: ItemListOptions = {}, options?: RequestOptions): Promise<ItemsPage> {
    return this.#http.send({ method: 'GET', path: '/v1/items', query: { ...list } }, options);
  }

  /** Every item, fetched page by page as the loop asks for them. */
  async *all(list: ItemListOptions = {}, options?: RequestOptions): AsyncGenerator<Item> {
    let after = list.after;
    do {
      const page = await this.list({ ...list, after }, options);
      yield* page.items;
      after = page.next ?? undefined;
    } while (after !== undefined);
  }
}
