/**
 * Seeded synthetic members with realistic rental histories (~28 events each, long tail): what the
 * online-state benchmarks hold in memory (bench/online-state.bench.ts) and in Redis
 * (bench/redis-member-memory.ts). Same seed, same members.
 */
import type { StoredEvent, User, VitrineEvent } from '../src/core/types.ts';

export function syntheticMembers(opts: { seed: number; items: number }) {
  // mulberry32: a small seeded generator, so every run builds the same members
  let seed = opts.seed >>> 0;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let x = seed;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  /** popular items far more often (Zipf-like) */
  const itemId = (): string => `item-${Math.floor(opts.items * random() ** 2.5)}`;
  const SIZES = ['0', '2', '4', '6', '8', '10', '12', '14', '16', '18', '20', '22'];
  const OCCASIONS = ['wedding', 'party', 'work', 'vacation', 'date', 'formal affair', 'everyday', 'other'];
  const STYLES = ['minimal', 'boho', 'classic', 'edgy', 'romantic', 'sporty'];
  const DAY = 86_400_000;
  const T0 = Date.UTC(2026, 0, 1);

  /** One member: a profile for most, and a history of ~35 events on average (long tail). */
  function memberHistory(userId: string): { user: User | null; events: StoredEvent[] } {
    const size = pick(SIZES);
    const user: User | null = random() < 0.8
      ? { id: userId, sizes: [size], attributes: {}, preferences: { styles: [pick(STYLES)], occasions: [pick(OCCASIONS)] }, upcoming: [], createdAt: T0, updatedAt: T0 }
      : null;
    const events: StoredEvent[] = [];
    let ts = T0 + Math.floor(random() * 200) * DAY;
    let seq = 0;
    const add = (e: Omit<VitrineEvent, 'id' | 'userId'>) => events.push({ id: `${userId}-${seq}`, userId, seq: ++seq, ...e });
    const rentals = Math.floor(-Math.log(1 - random()) * 6); // exponential, mean 6
    for (let r = 0; r < rentals; r++) {
      const item = itemId();
      for (let c = Math.floor(random() * 3); c > 0; c--) add({ type: 'click', itemId: itemId(), ts: (ts += 3_600_000) });
      if (random() < 0.5) add({ type: 'heart', itemId: itemId(), ts: (ts += 3_600_000) });
      const rentSize = random() < 0.85 ? size : pick(SIZES);
      add({ type: 'rent', itemId: item, ts: (ts += DAY), size: rentSize, occasion: pick(OCCASIONS) });
      if (random() < 0.9) add({ type: 'return', itemId: item, ts: (ts += 4 * DAY), size: rentSize, ...(random() < 0.6 ? { fit: pick(['small', 'fit', 'large'] as const) } : {}) });
      else if (random() < 0.5) add({ type: 'purchase', itemId: item, ts: (ts += 4 * DAY) });
      if (random() < 0.1) add({ type: 'dismiss', itemId: itemId(), ts: (ts += 3_600_000) });
      for (let v = Math.floor(random() * 4); v > 0; v--) add({ type: 'view', itemId: itemId(), ts: (ts += 600_000) });
    }
    return { user, events };
  }
  return { random, pick, itemId, memberHistory, SIZES, OCCASIONS, STYLES, T0, DAY };
}
