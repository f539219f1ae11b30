/**
 * bench:serve's default traffic (issue 22): page requests as a storefront's members make them, not a
 * hot pool asked over and over. The model, written down once (bench/results/serve.md repeats it):
 * - Population: every member of the world (the store's users: 200,000 for the default world, trained
 *   or not, cancelled or not), ranked for popularity by a seeded shuffle (as bench:soak does).
 * - Visits: sessions start as a Poisson process at rate / sessionPages a second; a session's member is
 *   drawn with Zipf popularity, P(rank r) ∝ 1 / r^zipf (default 1: a few regulars, a long tail).
 * - A session is 1 + Geometric pages (mean `sessionPages`, default 3), each a home page of 8 rows ×
 *   20 items, the next one an exponential think time later (mean `thinkSeconds`, default 30 s).
 * The stream is generated in time order at the nominal rate `rate`; load generators take its pages in
 * that order at whatever pace they run (so at saturation think times shrink in proportion). Seeded:
 * the same options give the same stream.
 */
import { seededUniform } from '../src/ml/common/rng.ts';
import { zipfSampler } from './soak-mix.ts';
import type { RequestSpec } from './serve-load.ts';

export interface TrafficOptions {
  members: readonly string[];
  /** nominal pages per second (sets how often sessions start) */
  rate: number;
  zipf: number;
  /** mean pages per session (≥ 1) */
  sessionPages: number;
  /** mean seconds between a session's pages */
  thinkSeconds: number;
  seed: number;
  /** the page's query string */
  query: string;
}

export interface Traffic {
  /** the next page request of the stream */
  next: () => RequestSpec;
  /** pages handed out so far, sessions begun, distinct members seen */
  stats: () => { pages: number; sessions: number; members: number };
}

/** A min-heap of pending session pages by due time (seconds). */
class DueHeap {
  private readonly at: number[] = [];
  private readonly member: number[] = [];
  private readonly left: number[] = [];

  get size(): number {
    return this.at.length;
  }

  peekAt(): number {
    return this.at[0];
  }

  push(at: number, member: number, left: number): void {
    this.at.push(at);
    this.member.push(member);
    this.left.push(left);
    let k = this.at.length - 1;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (this.at[p] <= this.at[k]) break;
      this.swap(k, p);
      k = p;
    }
  }

  pop(): { at: number; member: number; left: number } {
    const top = { at: this.at[0], member: this.member[0], left: this.left[0] };
    const last = this.at.length - 1;
    this.swap(0, last);
    this.at.pop();
    this.member.pop();
    this.left.pop();
    let k = 0;
    for (;;) {
      const l = 2 * k + 1, r = l + 1;
      let m = k;
      if (l < this.at.length && this.at[l] < this.at[m]) m = l;
      if (r < this.at.length && this.at[r] < this.at[m]) m = r;
      if (m === k) break;
      this.swap(k, m);
      k = m;
    }
    return top;
  }

  private swap(a: number, b: number): void {
    [this.at[a], this.at[b]] = [this.at[b], this.at[a]];
    [this.member[a], this.member[b]] = [this.member[b], this.member[a]];
    [this.left[a], this.left[b]] = [this.left[b], this.left[a]];
  }
}

/** The endless page stream of the model above. */
export function trafficStream(opts: TrafficOptions): Traffic {
  if (opts.members.length === 0) throw new Error('traffic needs members');
  if (!(opts.sessionPages >= 1)) throw new Error('sessionPages must be ≥ 1');
  const rand = seededUniform(opts.seed);
  const order = Array.from(opts.members);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const paths = order.map((id) => `/v1/users/${encodeURIComponent(id)}/page?${opts.query}`);
  const rank = zipfSampler(order.length, opts.zipf, rand);
  const exp = (mean: number) => -Math.log(1 - rand()) * mean;
  // pages after the first: geometric with mean sessionPages − 1 (P(another page) = 1 − 1 / sessionPages)
  const more = 1 - 1 / opts.sessionPages;
  const sessionsPerSecond = opts.rate / opts.sessionPages;
  const pending = new DueHeap();
  const seen = new Uint8Array(order.length);
  let nextSession = exp(1 / sessionsPerSecond);
  let pages = 0, sessions = 0, members = 0;

  const emit = (member: number): RequestSpec => {
    pages++;
    if (seen[member] === 0) {
      seen[member] = 1;
      members++;
    }
    return { method: 'GET', path: paths[member], kind: 'page' };
  };
  const next = (): RequestSpec => {
    if (pending.size > 0 && pending.peekAt() <= nextSession) {
      const { at, member, left } = pending.pop();
      if (left > 0) pending.push(at + exp(opts.thinkSeconds), member, left - 1);
      return emit(member);
    }
    const at = nextSession;
    nextSession += exp(1 / sessionsPerSecond);
    sessions++;
    const member = rank();
    let left = 0;
    while (rand() < more) left++;
    if (left > 0) pending.push(at + exp(opts.thinkSeconds), member, left - 1);
    return emit(member);
  };
  return { next, stats: () => ({ pages, sessions, members }) };
}
