/** Stylists' carousels and page templates (API.md § Merchandising; admin scope). */
import { path, type RequestOptions, type Transport } from './transport.ts';
import type { Carousel, CarouselInput, PageTemplate, PageTemplateInput } from './types.ts';

export class CarouselsApi {
  readonly #http: Transport;
  constructor(http: Transport) { this.#http = http; }

  /** Creates or replaces a carousel; unservable items are reported, never served (PUT /v1/carousels/{id}). */
  put(carouselId: string, carousel: CarouselInput, options?: RequestOptions): Promise<Carousel> {
    return this.#http.send({ method: 'PUT', path: path`/v1/carousels/${carouselId}`, body: carousel }, options);
  }

  /** One carousel (GET /v1/carousels/{id}); 404 VITRINE_CAROUSEL_NOT_FOUND. */
  get(carouselId: string, options?: RequestOptions): Promise<Carousel> {
    return this.#http.send({ method: 'GET', path: path`/v1/carousels/${carouselId}` }, options);
  }

  /** Every carousel, by id (GET /v1/carousels). */
  async list(options?: RequestOptions): Promise<Carousel[]> {
    return (await this.#http.send<{ carousels: Carousel[] }>({ method: 'GET', path: '/v1/carousels' }, options)).carousels;
  }

  /** Deletes a carousel; its rows leave pages (DELETE /v1/carousels/{id}). */
  delete(carouselId: string, options?: RequestOptions): Promise<{ id: string; deleted: boolean }> {
    return this.#http.send({ method: 'DELETE', path: path`/v1/carousels/${carouselId}` }, options);
  }
}

export class PagesApi {
  readonly #http: Transport;
  constructor(http: Transport) { this.#http = http; }

  /** Creates or replaces the template a page is composed from (PUT /v1/pages/{name}). */
  put(pageName: string, template: PageTemplateInput, options?: RequestOptions): Promise<PageTemplate> {
    return this.#http.send({ method: 'PUT', path: path`/v1/pages/${pageName}`, body: template }, options);
  }

  /** A page's template: stored, else built in (GET /v1/pages/{name}); 404 VITRINE_PAGE_NOT_FOUND. */
  get(pageName: string, options?: RequestOptions): Promise<PageTemplate> {
    return this.#http.send({ method: 'GET', path: path`/v1/pages/${pageName}` }, options);
  }

  /** Every template: stored ones and built-in ones not overridden (GET /v1/pages). */
  async list(options?: RequestOptions): Promise<PageTemplate[]> {
    return (await this.#http.send<{ pages: PageTemplate[] }>({ method: 'GET', path: '/v1/pages' }, options)).pages;
  }
}
