/**
 * Deterministic, realistic-looking event streams for crash tests and ingest benchmarks: many members
 * and items with a popularity skew, the full mix of event types, size on rents, fit on returns,
 * page context on impressions. The same options always give the same events, so a second process
 * (a client, a checker) can rebuild them from the options alone.
 */
import { seededUniform } from '../../src/ml/common/rng.ts';
import type { EventType, Fit, VitrineEvent } from '../../src/core/types.ts';

export interface SyntheticEventOptions {
  /** prefix of every event id: ids are `${runId}-${index}`, unique per run */
  runId: string;
  count: number;
  users: number;
  items: number;
  seed: number;
  /** ts of the first event, epoch ms; each next event is 1 s later */
  startTs: number;
  /** members' actions only: the draws that would be impressions (logged by the server itself) are views */
  actionsOnly?: boolean;
}

// cumulative weights of the event mix (impressions and views dominate, as on a real storefront)
const MIX: ReadonlyArray<readonly [EventType, number]> = [
  ['impression', 0.30], ['view', 0.58], ['click', 0.70], ['heart', 0.76], ['unheart', 0.77], ['shortlist', 0.80],
  ['rent', 0.88], ['return', 0.94], ['purchase', 0.95], ['review', 0.98], ['dismiss', 1],
];
const SIZES = ['0', '2', '4', '6', '8', '10', '12', '14', '16', 'XS', 'S', 'M', 'L'];
const FITS: readonly Fit[] = ['small', 'fit', 'fit', 'fit', 'large'];
const OCCASIONS = ['wedding', 'party', 'work', 'vacation', 'date', 'everyday'];

/** The events of one synthetic stream, in order. */
export function syntheticEvents(opts: SyntheticEventOptions): VitrineEvent[] {
  const rand = seededUniform(opts.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const out: VitrineEvent[] = new Array(opts.count);
  for (let i = 0; i < opts.count; i++) {
    const u = rand();
    const drawn = MIX.find(([, w]) => u < w)![0];
    const type = opts.actionsOnly && drawn === 'impression' ? 'view' : drawn;
    // squaring a uniform skews activity toward low indexes: a few busy members, a few hit items
    const userId = `m${Math.floor(rand() ** 2 * opts.users)}`;
    const itemId = `dress-${Math.floor(rand() ** 2 * opts.items)}`;
    const e: VitrineEvent = { id: `${opts.runId}-${i}`, type, userId, itemId, ts: opts.startTs + i * 1000 };
    if (type === 'rent') {
      e.size = pick(SIZES);
      e.occasion = pick(OCCASIONS);
    } else if (type === 'return') {
      e.size = pick(SIZES);
      e.fit = pick(FITS);
    } else if (type === 'review') {
      e.rating = 1 + Math.floor(rand() * 5);
      e.fit = pick(FITS);
    } else if (type === 'purchase') {
      e.value = Math.round(rand() * 40000) / 100;
    } else if (type === 'impression') {
      e.context = { pageId: `page-${Math.floor(i / 20)}`, rowId: pick(['for-you', 'trending', 'new-arrivals']), position: i % 20 };
    }
    out[i] = e;
  }
  return out;
}

export interface ExpectedStats {
  events: number;
  rents: number;
  hearts: number;
  lastEventAt: number | null;
}

/** Per member, the stats GET /v1/users/:id must report once all these events are stored (actions: impressions left out). */
export function expectedUserStats(events: readonly VitrineEvent[]): Map<string, ExpectedStats> {
  const stats = new Map<string, ExpectedStats>();
  for (const e of events) {
    let s = stats.get(e.userId);
    if (!s) stats.set(e.userId, (s = { events: 0, rents: 0, hearts: 0, lastEventAt: null }));
    if (e.type === 'impression') continue;
    s.events++;
    if (e.type === 'rent') s.rents++;
    if (e.type === 'heart') s.hearts++;
    if (s.lastEventAt === null || e.ts > s.lastEventAt) s.lastEventAt = e.ts;
  }
  return stats;
}
