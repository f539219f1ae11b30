/**
 * A seeded implicit-feedback data set shaped like MovieLens-20M (138,493 members × 26,744 items ×
 * 20,000,263 interactions): power-law item popularity, weight ∝ (rank + 300)⁻², which puts the top
 * item near ML-20M's ~67k interactions and the median item near its ~20; a long tail of member
 * activity with a floor of 20, as ML-20M keeps only members with ≥ 20 ratings. A member never gets
 * the same item twice, so every interaction is a stored entry.
 * Bench-only: built straight into typed arrays, no per-interaction objects.
 */
import { seededUniform } from '../src/ml/common/rng.ts';
import type { InteractionData } from '../src/ml/dataset.ts';

export interface SyntheticShape {
  users: number;
  items: number;
  interactions: number;
  seed: number;
}

export const ML20M_SHAPE: SyntheticShape = { users: 138_493, items: 26_744, interactions: 20_000_263, seed: 20 };

// popularity of the item of rank r ∝ (r + OFFSET)^−EXPONENT; the top item's share ≈ (EXPONENT − 1) / OFFSET
const POPULARITY_OFFSET = 300;
const POPULARITY_EXPONENT = 2;
const MIN_PER_USER = 20;

/** Draws item indexes from the power law, by binary search on its cumulative weights. */
export class ItemSampler {
  private readonly cumulative: Float64Array;

  constructor(nItems: number, private readonly next: () => number) {
    this.cumulative = new Float64Array(nItems);
    let total = 0;
    for (let r = 0; r < nItems; r++) this.cumulative[r] = total += Math.pow(r + POPULARITY_OFFSET, -POPULARITY_EXPONENT);
    for (let r = 0; r < nItems; r++) this.cumulative[r] /= total;
  }

  /** One item index (0 is the most popular). */
  sample(): number {
    const u = this.next();
    let lo = 0, hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Generates the data set; interactions are grouped by member, weights 1, ts = position. */
export function syntheticImplicit(shape: SyntheticShape): InteractionData {
  const next = seededUniform(shape.seed);
  const counts = memberActivity(shape, next);
  const sampler = new ItemSampler(shape.items, next);
  const users = new Int32Array(shape.interactions);
  const items = new Int32Array(shape.interactions);
  // lastOwner[i] = the last member given item i: redraw instead of repeating an item for a member
  const lastOwner = new Int32Array(shape.items).fill(-1);
  let k = 0;
  for (let u = 0; u < shape.users; u++) {
    for (let j = 0; j < counts[u]; j++, k++) {
      let i = sampler.sample();
      while (lastOwner[i] === u) i = sampler.sample();
      lastOwner[i] = u;
      users[k] = u;
      items[k] = i;
    }
  }
  const ts = new Float64Array(shape.interactions);
  for (let j = 0; j < ts.length; j++) ts[j] = j;
  return {
    userIds: Array.from({ length: shape.users }, (_, u) => `u${u}`),
    itemIds: Array.from({ length: shape.items }, (_, i) => `i${i}`),
    users,
    items,
    ts,
    weights: new Float32Array(shape.interactions).fill(1),
  };
}

/**
 * Interactions per member: the floor plus a Pareto(α = 1.5) share of the rest, capped at 200× the
 * typical share (ML-20M's most active member has ~9k ratings) and at half the catalogue, summing
 * exactly to the total.
 */
function memberActivity(shape: SyntheticShape, next: () => number): Int32Array {
  const floor = Math.min(MIN_PER_USER, Math.floor(shape.interactions / shape.users));
  const raw = Float64Array.from({ length: shape.users }, () => Math.min(200, Math.pow(1 - next(), -1 / 1.5)));
  const sum = raw.reduce((a, b) => a + b, 0);
  const rest = shape.interactions - floor * shape.users;
  const cap = Math.floor(shape.items / 2);
  const counts = Int32Array.from(raw, (w) => Math.min(cap, floor + Math.floor((rest * w) / sum)));
  // hand the remainder (rounding, caps) out one by one so the total is exact
  let missing = shape.interactions - counts.reduce((a, b) => a + b, 0);
  for (let u = 0; missing > 0; u = (u + 1) % shape.users) {
    if (counts[u] < cap) {
      counts[u]++;
      missing--;
    }
  }
  return counts;
}
