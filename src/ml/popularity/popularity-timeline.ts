/**
 * Popularity at the time a question is asked (issue 21, "time belongs to the query"): the counted
 * interactions kept per item in time order, so that a trailing window or a decay can be recounted
 * at any `asOf` — e.g. `popularity-recent` asked at a member's own last rental counts the 90 days
 * before it, not the 90 days before the end of train. Only rows at or before asOf count.
 */
import { DAY_MS } from '../../core/time.ts';
import { payloadOf, type LoadedArtifact, type Payloads } from '../artifact.ts';
import type { InteractionData } from '../dataset.ts';
import type { PopularityParams } from './popularity-scores.ts';

type TimedParams = Pick<PopularityParams, 'mode' | 'count' | 'windowDays' | 'halfLifeDays'>;

export class PopularityTimeline {
  /** one-entry cache: scores at `asOf`, also valid for any clock in [asOf, validUntil] */
  private cached: { asOf: number; validUntil: number; scores: Float32Array } | undefined;
  /** every counted row's time, ascending (for how long a window's count stays the same) */
  private sortedTs: Float64Array | undefined;

  constructor(
    /** rows of item i are indptr[i] … indptr[i + 1] − 1, by ascending time */
    readonly indptr: Int32Array,
    readonly ts: Float64Array,
    /** the member of each row; only kept when distinct members are counted */
    readonly users?: Int32Array,
  ) {}

  /** The rows of `data` at least `minWeight` heavy, grouped by item in time order (members only when `withUsers`). */
  static fromInteractions(data: InteractionData, minWeight: number, withUsers: boolean): PopularityTimeline {
    const nItems = data.itemIds.length;
    const rows: number[] = [];
    for (let k = 0; k < data.users.length; k++) if (data.weights[k] >= minWeight) rows.push(k);
    rows.sort((a, b) => data.items[a] - data.items[b] || data.ts[a] - data.ts[b] || a - b);
    const indptr = new Int32Array(nItems + 1);
    for (const k of rows) indptr[data.items[k] + 1]++;
    for (let i = 0; i < nItems; i++) indptr[i + 1] += indptr[i];
    const users = withUsers ? Int32Array.from(rows, (k) => data.users[k]) : undefined;
    return new PopularityTimeline(indptr, Float64Array.from(rows, (k) => data.ts[k]), users);
  }

  /** Rebuilds a timeline saved by `toPayloads`; undefined for an artifact saved without one. */
  static fromPayloads(loaded: LoadedArtifact, nItems: number): PopularityTimeline | undefined {
    if (!loaded.payloads['timeline.indptr']) return undefined;
    const indptr = payloadOf(loaded, 'timeline.indptr', Int32Array, nItems + 1);
    const n = indptr[nItems];
    const users = loaded.payloads['timeline.users'] ? payloadOf(loaded, 'timeline.users', Int32Array, n) : undefined;
    return new PopularityTimeline(indptr, payloadOf(loaded, 'timeline.ts', Float64Array, n), users);
  }

  /** The payloads `fromPayloads` reads back. */
  toPayloads(): Payloads {
    const out: Payloads = { 'timeline.indptr': this.indptr, 'timeline.ts': this.ts };
    if (this.users) out['timeline.users'] = this.users;
    return out;
  }

  /** Each item's score at `asOf` under `p` (mode 'all' counts every row at or before asOf). */
  scoresAt(p: TimedParams, asOf: number): Float32Array {
    const c = this.cached;
    if (c && asOf >= c.asOf && asOf <= c.validUntil) return c.scores;
    const nItems = this.indptr.length - 1;
    const scores = new Float32Array(nItems);
    const start = p.mode === 'window' ? asOf - p.windowDays * DAY_MS : -Infinity;
    const halfLifeMs = p.halfLifeDays * DAY_MS;
    const users = p.count === 'users' ? this.users : undefined;
    const seen = new Set<number>();
    for (let i = 0; i < nItems; i++) {
      const from = lowerBound(this.ts, this.indptr[i], this.indptr[i + 1], start);
      const to = upperBound(this.ts, from, this.indptr[i + 1], asOf);
      if (p.mode === 'decayed') {
        // newest first: with count = users only a member's latest row counts
        seen.clear();
        let s = 0;
        for (let k = to - 1; k >= from; k--) {
          if (users) {
            if (seen.has(users[k])) continue;
            seen.add(users[k]);
          }
          s += 0.5 ** ((asOf - this.ts[k]) / halfLifeMs);
        }
        scores[i] = s;
      } else if (!users) scores[i] = to - from;
      else {
        seen.clear();
        for (let k = from; k < to; k++) seen.add(users[k]);
        scores[i] = seen.size;
      }
    }
    this.cached = { asOf, validUntil: p.mode === 'decayed' ? asOf : this.unchangedUntil(start, asOf, p.mode === 'window'), scores };
    return scores;
  }

  /** The latest clock whose window holds the same rows as [start, asOf]: no row enters or leaves before it. */
  private unchangedUntil(start: number, asOf: number, sliding: boolean): number {
    const ts = (this.sortedTs ??= Float64Array.from(this.ts).sort());
    const next = upperBound(ts, 0, ts.length, asOf);
    let until = next < ts.length ? ts[next] - 1e-3 : Infinity;
    if (sliding) {
      const oldest = lowerBound(ts, 0, ts.length, start);
      if (oldest < ts.length) until = Math.min(until, ts[oldest] + (asOf - start));
    }
    return until;
  }
}

/** First k in [lo, hi) with ts[k] ≥ x. */
function lowerBound(ts: Float64Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First k in [lo, hi) with ts[k] > x. */
function upperBound(ts: Float64Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
