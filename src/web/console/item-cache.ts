/** Item details by id, fetched once: pages and carousels only name their items. */
import type { Item, VitrineClient } from '../../client/index.ts';

export class ItemCache {
  readonly #known = new Map<string, Item | null>();
  constructor(private readonly client: VitrineClient) {}

  get(id: string): Item | undefined {
    return this.#known.get(id) ?? undefined;
  }

  /** Fetches the ids not seen yet, a few at a time rather than a hundred requests at once. */
  async load(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.#known.has(id));
    for (let k = 0; k < missing.length; k += 8) {
      await Promise.all(missing.slice(k, k + 8).map(async (id) => {
        this.#known.set(id, await this.client.items.get(id).catch(() => null));
      }));
    }
  }
}
