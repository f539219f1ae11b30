/**
 * The end of every fallback chain: a plain list of item ids that cannot fail. Either configured
 * (`serving.staticItems`) or the catalogue's newest items, refreshed at most once a minute and kept
 * from the last good read when the catalogue view itself misbehaves.
 */
import type { CatalogueView } from '../engine/contracts.ts';

const REFRESH_MS = 60_000;
const SIZE = 500;

export class StaticList {
  private ids: readonly string[] = [];
  private builtAt = -Infinity;

  constructor(private readonly catalogue: () => CatalogueView | undefined, private readonly configured: readonly string[] = []) {}

  /** The list at `now` (epoch ms); never throws. */
  items(now: number): readonly string[] {
    if (this.configured.length > 0) return this.configured;
    if (now - this.builtAt < REFRESH_MS && this.ids.length > 0) return this.ids;
    try {
      const fresh = this.catalogue()?.newest(SIZE, now) ?? [];
      if (fresh.length > 0 || this.ids.length === 0) this.ids = [...fresh];
      this.builtAt = now;
    } catch {
      // keep the last good list: this step must not fail
    }
    return this.ids;
  }
}
