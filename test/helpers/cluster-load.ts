/**
 * A bounded load on a cluster, for test/cluster-services.test.ts (correctness) and bench:cluster
 * (latency): pages and event batches at fixed rates through HAProxy, with actions (kill a node,
 * restart it, restart Redis empty) run in order on a schedule of elapsed time. Open loop with a cap:
 * a request due while `maxInFlight` are outstanding is dropped and counted, so an overloaded machine
 * shows as drops, never as an unbounded queue.
 *
 * Known answers are checked on every page as it arrives: an item whose rent this member got a 200 for
 * before the page was asked is absent, and every item has units in one of the member's sizes. Pages
 * served without the member's state (Redis unreachable or late: fallback `member-state`, used
 * `cold-start`) know neither, so they are counted apart — and must name the fallback.
 * Event batches that do not get a 200 are sent again with the same ids (what a client does), so a
 * batch committed whose answer was lost comes back as duplicates.
 */
import { fitsSizes, type LoadMember } from './cluster-world.ts';
import { waitFor } from './wait-for.ts';

export interface LoadAction {
  name: string;
  /** ms after the load starts; actions run one after the other, each no earlier than this */
  atMs: number;
  run(): Promise<void>;
}

export interface LoadPlan {
  url: string;
  members: readonly LoadMember[];
  itemSizes: ReadonlyMap<string, Readonly<Record<string, number>>>;
  durationMs: number;
  /** the load goes on at least this long after the last action ends */
  tailMs: number;
  pagesPerSecond: number;
  batchesPerSecond: number;
  eventsPerBatch: number;
  maxInFlight: number;
  actions: readonly LoadAction[];
  /** prefix of event ids (unique per run) */
  runId: string;
  /** a rent at most this many times per member (held items stay far below Redis's mark cap) */
  rentsPerMember?: number;
}

export interface PageRecord {
  member: string;
  startMs: number;
  endMs: number;
  /** 0: no HTTP answer */
  status: number;
  /** served without the member's state (fallback member-state) */
  coldStart: boolean;
  /** rented items (200 before the page was asked) checked absent from it */
  heldChecked: number;
  violations: string[];
}

export interface BatchRecord {
  ids: string[];
  rent?: { member: string; item: string };
  attempts: Array<{ startMs: number; endMs: number; status: number }>;
  ackMs?: number;
  accepted: number;
  duplicates: number;
}

export interface ActionRecord {
  name: string;
  plannedMs: number;
  startMs: number;
  endMs?: number;
  error?: string;
}

export interface LoadResult {
  pages: PageRecord[];
  batches: BatchRecord[];
  actions: ActionRecord[];
  droppedPages: number;
  droppedBatches: number;
  elapsedMs: number;
}

const TICK_MS = 5;
const REQUEST_GUARD_MS = 15_000;
const DRAIN_ATTEMPTS = 20;

interface PageBody {
  fallbacks?: Array<{ kind?: string; used?: string[] }>;
  rows?: Array<{ items?: Array<{ itemId: string }> }>;
}

export async function runClusterLoad(plan: LoadPlan): Promise<LoadResult> {
  const started = performance.now();
  const now = () => performance.now() - started;
  const result: LoadResult = { pages: [], batches: [], actions: [], droppedPages: 0, droppedBatches: 0, elapsedMs: 0 };
  /** member → item → when its rent got a 200 (ms into the load) */
  const rented = new Map<string, Map<string, number>>();
  const lastSeen = new Map<string, string[]>();
  const retry: BatchRecord[] = [];
  const itemIds = [...plan.itemSizes.keys()];
  let inFlight = 0;
  let pagesIssued = 0;
  let batchesIssued = 0;
  let eventSeq = 0;
  let pick = 0x9e3779b9;
  // a fixed LCG: the same plan sends the same requests in the same order
  const random = (n: number) => {
    pick = (Math.imul(pick, 1664525) + 1013904223) >>> 0;
    return pick % n;
  };

  const page = async (member: LoadMember) => {
    const rec: PageRecord = { member: member.id, startMs: now(), endMs: 0, status: 0, coldStart: false, heldChecked: 0, violations: [] };
    result.pages.push(rec);
    const held = new Map(rented.get(member.id));
    try {
      const res = await fetch(`${plan.url}/v1/users/${member.id}/page?rows=6&size=10`, { signal: AbortSignal.timeout(REQUEST_GUARD_MS) });
      rec.status = res.status;
      const body = await res.json() as PageBody;
      rec.endMs = now();
      if (res.status !== 200) return;
      const state = (body.fallbacks ?? []).find((f) => f.kind === 'member-state');
      rec.coldStart = state !== undefined;
      if (state && !(state.used ?? []).includes('cold-start')) rec.violations.push(`${member.id}: member state failed without naming cold-start`);
      const items = (body.rows ?? []).flatMap((r) => (r.items ?? []).map((i) => i.itemId));
      lastSeen.set(member.id, items);
      if (rec.coldStart) return;
      rec.heldChecked = held.size;
      for (const item of items) {
        if (held.has(item)) rec.violations.push(`${member.id}: rented ${item} (200 at ${held.get(item)?.toFixed(0)} ms) is on the page asked at ${rec.startMs.toFixed(0)} ms`);
        if (!fitsSizes(plan.itemSizes, item, member.sizes)) rec.violations.push(`${member.id}: ${item} has no units in sizes ${member.sizes.join('/')}`);
      }
    } catch {
      rec.endMs = now();
    }
  };

  const send = async (batch: BatchRecord, events: unknown[]) => {
    const attempt = { startMs: now(), endMs: 0, status: 0 };
    batch.attempts.push(attempt);
    try {
      const res = await fetch(`${plan.url}/v1/events`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }), signal: AbortSignal.timeout(REQUEST_GUARD_MS),
      });
      attempt.status = res.status;
      const body = await res.json() as { accepted?: number; duplicates?: number };
      attempt.endMs = now();
      if (res.status === 200) {
        batch.ackMs = attempt.endMs;
        batch.accepted += body.accepted ?? 0;
        batch.duplicates += body.duplicates ?? 0;
        if (batch.rent) {
          const held = rented.get(batch.rent.member) ?? new Map<string, number>();
          held.set(batch.rent.item, attempt.endMs);
          rented.set(batch.rent.member, held);
        }
        return;
      }
    } catch {
      attempt.endMs = now();
    }
    retry.push(batch);
  };

  const bodies = new Map<BatchRecord, unknown[]>();
  const newBatch = (): BatchRecord => {
    const batch: BatchRecord = { ids: [], attempts: [], accepted: 0, duplicates: 0 };
    const events: unknown[] = [];
    const ts = Date.now();
    const renter = plan.members[random(plan.members.length)];
    const seen = (lastSeen.get(renter.id) ?? []).filter((i) => !rented.get(renter.id)?.has(i));
    if (seen.length > 0 && (rented.get(renter.id)?.size ?? 0) < (plan.rentsPerMember ?? 6)) {
      const item = seen[random(seen.length)];
      batch.rent = { member: renter.id, item };
      events.push({ id: `${plan.runId}-${eventSeq++}`, type: 'rent', userId: renter.id, itemId: item, size: renter.sizes[0], ts });
    }
    while (events.length < plan.eventsPerBatch) {
      const m = plan.members[random(plan.members.length)];
      const items = lastSeen.get(m.id) ?? [];
      const item = items.length > 0 ? items[random(items.length)] : itemIds[random(itemIds.length)];
      events.push({ id: `${plan.runId}-${eventSeq++}`, type: 'view', userId: m.id, itemId: item, ts });
    }
    batch.ids = events.map((e) => (e as { id: string }).id);
    bodies.set(batch, events);
    result.batches.push(batch);
    return batch;
  };

  const track = (p: Promise<void>) => {
    inFlight++;
    void p.finally(() => inFlight--);
  };

  let nextAction = 0;
  let acting: Promise<void> | undefined;
  let lastActionEnd = 0;
  const endAt = () => Math.max(plan.durationMs, nextAction < plan.actions.length || acting !== undefined ? Infinity : lastActionEnd + plan.tailMs);
  while (now() < endAt()) {
    const t = now();
    if (acting === undefined && nextAction < plan.actions.length && t >= plan.actions[nextAction].atMs) {
      const action = plan.actions[nextAction++];
      const rec: ActionRecord = { name: action.name, plannedMs: action.atMs, startMs: t };
      result.actions.push(rec);
      acting = action.run().then(() => undefined, (err: Error) => { rec.error = err.message; }).finally(() => {
        rec.endMs = lastActionEnd = now();
        acting = undefined;
      });
    }
    for (; pagesIssued < Math.floor((t * plan.pagesPerSecond) / 1000); pagesIssued++) {
      if (inFlight >= plan.maxInFlight) result.droppedPages++;
      else track(page(plan.members[random(plan.members.length)]));
    }
    for (; batchesIssued < Math.floor((t * plan.batchesPerSecond) / 1000); batchesIssued++) {
      if (inFlight >= plan.maxInFlight) {
        result.droppedBatches++;
        continue;
      }
      const batch = retry.shift() ?? newBatch();
      track(send(batch, bodies.get(batch) ?? []));
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  await waitFor(() => inFlight === 0, 'the load\'s last requests');
  // batches still without a 200: sent again, one at a time, once the cluster is ready
  while (retry.length > 0) {
    const batch = retry.shift() as BatchRecord;
    if (batch.attempts.length >= DRAIN_ATTEMPTS) continue;
    await waitFor(async () => (await fetch(`${plan.url}/readyz`).then((r) => r.status, () => 0)) === 200, 'the cluster ready to take a batch again');
    await send(batch, bodies.get(batch) ?? []);
  }
  result.elapsedMs = now();
  return result;
}

/** Ids of events in batches that got a 200. */
export function ackedIds(result: LoadResult): string[] {
  return result.batches.filter((b) => b.ackMs !== undefined).flatMap((b) => b.ids);
}
