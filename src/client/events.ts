/** The pixel endpoint (API.md § Events): a 200 means every accepted event is durable. */
import type { RequestOptions, Transport } from './transport.ts';
import type { EventInput, EventsResult } from './types.ts';

export class EventsApi {
  readonly #http: Transport;
  constructor(http: Transport) { this.#http = http; }

  /** Records up to 1000 events; bad ones come back in `rejected`, re-sent ids in `duplicates` (POST /v1/events). */
  send(events: EventInput[], options?: RequestOptions): Promise<EventsResult> {
    return this.#http.send({ method: 'POST', path: '/v1/events', body: { events } }, options);
  }
}
