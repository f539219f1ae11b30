/**
 * The soak benchmark's traffic: what a storefront sends a recommendation engine all day. Members come
 * from the whole population with Zipf popularity (a few regulars, a long tail seen once); each request
 * is a page, an event batch (rent / return / heart / view), a member read, or a catalogue write
 * (availability changes, item updates), in fixed shares. Seeded: the same options give the same traffic.
 *
 * Event batches are members' sessions at a human pace: a member sends at most one batch per
 * `minBatchIntervalMs` (default a minute; a batch is 10 events). Drawn by Zipf alone, the most popular
 * member sent ~9% of all batches — ~50 events a second at 730 requests/s, a bot, not a member — and
 * their live history grew the hybrid's per-page work minute after minute (RELIABILITY.md). A member
 * drawn again too soon gives the batch to the next draw, so the regulars still send the most.
 */
import type { ItemInput } from '../src/core/types.ts';
import { seededUniform } from '../src/ml/common/rng.ts';
import type { RequestSpec } from './serve-load.ts';

/** A catalogued item as the store holds it: what an update sends back (with new units). */
export interface SoakItem {
  id: string;
  input: ItemInput & { sizes: Record<string, number> };
}

export interface SoakMixOptions {
  members: readonly string[];
  items: readonly SoakItem[];
  /** Zipf exponent of member popularity (1 = classic Zipf; lower = a longer tail) */
  zipf: number;
  /** events per POST /v1/events */
  eventsPerBatch: number;
  seed: number;
  /** prefix of event ids, unique per run (so a second run on the same store adds, never duplicates) */
  runId: string;
  /** a member's event batches are at least this far apart (0: no limit); 60,000 by default */
  minBatchIntervalMs?: number;
  /** the clock the batch interval is measured on (Date.now by default; tests pass their own) */
  now?: () => number;
}

/** Shares of the requests, by kind (they sum to 1). */
export const SOAK_SHARES = { page: 0.85, events: 0.08, memberRead: 0.05, availability: 0.015, itemUpdate: 0.005 } as const;
export type SoakKind = keyof typeof SOAK_SHARES;

const EVENT_TYPES = ['view', 'view', 'view', 'heart', 'rent', 'return'] as const;
const FITS = ['small', 'fit', 'fit', 'large'] as const;
const PAGE_QUERY = 'rows=8&size=20';

/** A sampler of ranks 0..n-1 with P(r) ∝ 1 / (r + 1)^s (inverse CDF by binary search). */
export function zipfSampler(n: number, s: number, rand: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cdf[r] = (sum += 1 / (r + 1) ** s);
  return () => {
    const u = rand() * sum;
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** The request factory and a count of what it made, by kind. */
export function soakMix(opts: SoakMixOptions): { next: () => RequestSpec; made: Record<SoakKind, number>; events: () => number } {
  const rand = seededUniform(opts.seed);
  // popularity ranks are a seeded shuffle of the members, not their id order
  const order = Array.from(opts.members);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const rank = zipfSampler(order.length, opts.zipf, rand);
  const member = () => order[rank()];
  // items: squared uniform, a few hits and a tail, as the synthetic event streams do
  const item = () => opts.items[Math.floor(rand() ** 2 * opts.items.length)];
  const made: Record<SoakKind, number> = { page: 0, events: 0, memberRead: 0, availability: 0, itemUpdate: 0 };
  const minBatchIntervalMs = opts.minBatchIntervalMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const lastBatchAt = new Map<string, number>();
  // the first member drawn who has not sent a batch within the interval (after 100 draws: a uniform one)
  const eventSender = (): string => {
    const t = now();
    for (let tries = 0; tries < 100; tries++) {
      const userId = member();
      const last = lastBatchAt.get(userId);
      if (last === undefined || t - last >= minBatchIntervalMs) {
        lastBatchAt.set(userId, t);
        return userId;
      }
    }
    const userId = order[Math.floor(rand() * order.length)];
    lastBatchAt.set(userId, t);
    return userId;
  };
  const kinds = Object.entries(SOAK_SHARES) as Array<[SoakKind, number]>;
  let eventSeq = 0;

  const event = (userId: string) => {
    const it = item();
    const type = EVENT_TYPES[Math.floor(rand() * EVENT_TYPES.length)];
    const sizes = Object.keys(it.input.sizes);
    const e: Record<string, unknown> = { id: `${opts.runId}-${eventSeq++}`, type, userId, itemId: it.id, ts: Date.now() };
    if ((type === 'rent' || type === 'return') && sizes.length > 0) e.size = sizes[Math.floor(rand() * sizes.length)];
    if (type === 'return') e.fit = FITS[Math.floor(rand() * FITS.length)];
    return e;
  };
  const units = (it: SoakItem) => Object.fromEntries(Object.keys(it.input.sizes).map((size) => [size, Math.floor(rand() * 4)]));

  const build: Record<SoakKind, () => RequestSpec> = {
    page: () => ({ method: 'GET', path: `/v1/users/${encodeURIComponent(member())}/page?${PAGE_QUERY}` }),
    events: () => {
      const userId = eventSender(); // a batch is one member's session
      return { method: 'POST', path: '/v1/events', body: { events: Array.from({ length: opts.eventsPerBatch }, () => event(userId)) } };
    },
    memberRead: () => ({ method: 'GET', path: `/v1/users/${encodeURIComponent(member())}` }),
    // every size named: the same meaning whether PATCH replaces or merges
    availability: () => {
      const it = item();
      return { method: 'PATCH', path: `/v1/items/${encodeURIComponent(it.id)}/availability`, body: { sizes: units(it) } };
    },
    itemUpdate: () => {
      const it = item();
      return { method: 'PUT', path: `/v1/items/${encodeURIComponent(it.id)}`, body: { ...it.input, sizes: units(it) } };
    },
  };
  const next = (): RequestSpec => {
    let u = rand();
    for (const [kind, share] of kinds) {
      if (u < share || kind === kinds[kinds.length - 1][0]) {
        made[kind]++;
        return { ...build[kind](), kind };
      }
      u -= share;
    }
    throw new Error('unreachable');
  };
  return { next, made, events: () => eventSeq };
}
