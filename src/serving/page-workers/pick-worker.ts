/**
 * Which page worker a read is sent to (issue 22's latency tail). The member's own worker
 * (protocol.ts ownerOf) holds their state, fold-in vector and cached page, so it answers cheapest.
 * But members are partitioned: while that worker is stalled — a full collection, a long request, the
 * OS not running it — every read for its members queues behind the stall, and at 1,000 pages/s on 50
 * connections a stall of ~100 ms ties up every connection (each next request has an even chance of
 * being for the stalled worker's members). So a read whose owner is stalled goes to a live worker that
 * is not: it reads the member from the store (every worker gets every change, so its page is as fresh,
 * docs/serving.md § freshness). Trade: that page costs a first page's CPU (history read, fold-in: ~1–2
 * ms) and the member's state is held twice until one ages out; stalls are rare, so little of either.
 * TODO(http-pause): a stall is told from this thread's view. When the HTTP thread itself was paused
 * (its own full collection, the OS), the workers' answers may still wait in its queue when the next
 * reads are dispatched, so an owner that did answer can look stalled and a few reads are sent on for
 * nothing (CPU, not freshness). Telling that apart needs the thread's own pauses (its loop delay).
 */

/** What the choice reads of a worker (PageWorkerHandle). */
export interface WorkerLoad {
  readonly state: 'starting' | 'live' | 'retired';
  /** requests sent and not yet answered */
  readonly unanswered: number;
  /** how long it has had work and answered none of it, ms (0 when it has nothing to do) */
  stalledMs(): number;
}

/**
 * A worker answering nothing for this long while it has work is stalled: ~5× a fresh page's
 * composition on a quiet machine, well under the 25 ms page p99 target.
 */
export const STALL_MS = 10;

/**
 * The index of the worker to send a read for `owner`'s member to: the owner unless it is live and
 * stalled for `stallMs` while another live worker is not stalled and has no more requests unanswered
 * than the owner, then the one of those with the fewest (the first in owner order on a tie). So a
 * read never joins a longer queue than its own worker's, and on a machine too busy to run every
 * thread, stalls do not pile first pages on a worker that is behind too. A worker not live is left
 * to the pool's own order (page-worker-pool.ts ask()).
 */
export function pickWorker(workers: readonly WorkerLoad[], owner: number, stallMs = STALL_MS): number {
  const own = workers[owner];
  if (own.state !== 'live' || own.stalledMs() < stallMs) return owner;
  let best = owner;
  for (let k = 1; k < workers.length; k++) {
    const i = (owner + k) % workers.length;
    const w = workers[i];
    if (w.state !== 'live' || w.stalledMs() >= stallMs || w.unanswered > own.unanswered) continue;
    if (best === owner || w.unanswered < workers[best].unanswered) best = i;
  }
  return best;
}
