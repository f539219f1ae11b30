/**
 * A member's fit predictions kept between pages (row-cache.ts): item → P(small / fit / large), or
 * null when the model had no sound answer. Three float64s per item in one typed array behind a map
 * of slots: ~50 bytes an item, where a Map of objects took ~140 (docs/operations.md TODO(memory):
 * ~150 predictions per cached member).
 */
export interface FitProbabilities {
  small: number;
  fit: number;
  large: number;
}

/** What the fit admitter reads and fills (a plain Map is one too, for a single request). */
export interface FitPredictionCache {
  get(itemId: string): FitProbabilities | null | undefined;
  set(itemId: string, p: FitProbabilities | null): unknown;
  has(itemId: string): boolean;
  readonly size: number;
}

const NO_ANSWER = -1;

export class FitPredictionTable implements FitPredictionCache {
  private readonly slots = new Map<string, number>();
  private values = new Float64Array(48);
  private used = 0;

  get(itemId: string): FitProbabilities | null | undefined {
    const slot = this.slots.get(itemId);
    if (slot === undefined) return undefined;
    if (slot === NO_ANSWER) return null;
    const v = this.values, at = slot * 3;
    return { small: v[at], fit: v[at + 1], large: v[at + 2] };
  }

  set(itemId: string, p: FitProbabilities | null): void {
    if (p === null) {
      this.slots.set(itemId, NO_ANSWER);
      return;
    }
    let slot = this.slots.get(itemId);
    if (slot === undefined || slot === NO_ANSWER) {
      slot = this.used++;
      if (slot * 3 + 3 > this.values.length) {
        const grown = new Float64Array(this.values.length * 2);
        grown.set(this.values);
        this.values = grown;
      }
      this.slots.set(itemId, slot);
    }
    const at = slot * 3;
    this.values[at] = p.small;
    this.values[at + 1] = p.fit;
    this.values[at + 2] = p.large;
  }

  has(itemId: string): boolean {
    return this.slots.has(itemId);
  }

  get size(): number {
    return this.slots.size;
  }
}
