/**
 * The recommendation pass of an evaluation: every evaluated member's top K through `model.recommend`.
 * It starts on this thread; when the first members show that the rest would take long (big catalogues,
 * factor models), the model is saved and reloaded in 2 worker threads (its public save/load), which
 * split the remaining members. At RTR's size (5,826 members × 4,083 items, < 1 s) it never pays.
 * Members are asked in order of their clock (`asOf`): a model with time features computes its
 * statistics once per clock (user-time asks each member at their own time).
 */
import type { Model } from '../ml/model.ts';
import { recommendFor } from './recommend-for.ts';
import { recommendInWorkers } from './recommend-workers.ts';
import type { EvalUser } from './splits.ts';

export interface RecommendPlan {
  algorithm: string;
  users: readonly EvalUser[];
  k: number;
  /** 0 = automatic, 1 = this thread only, n ≥ 2 = n workers after the probe */
  threads: number;
}

/** Members timed on this thread before deciding whether workers pay. */
const PROBE_USERS = 256;
/** Workers are started when the remaining members would take longer than this on this thread. */
const WORKERS_PAY_AFTER_MS = 15_000;
const AUTO_WORKERS = 2;

export interface RecommendOutcome {
  /** one list per member of the plan, in order; empty for a member the model does not know */
  lists: string[][];
  unranked: number;
  /** worker threads used for the members after the probe (0 = none) */
  workers: number;
}

/** Every planned member's top K (see the file comment for where it runs). */
export async function recommendAll(model: Model, plan: RecommendPlan): Promise<RecommendOutcome> {
  const n = plan.users.length;
  const byClock = Int32Array.from({ length: n }, (_, m) => m).sort((a, b) => plan.users[a].asOf - plan.users[b].asOf || a - b);
  const lists: string[][] = new Array(n);
  let unranked = 0;
  const runHere = (from: number, to: number): void => {
    for (let r = from; r < to; r++) {
      const m = byClock[r];
      const u = plan.users[m];
      const list = recommendFor(model, u.userId, u.trainItems, plan.k, u.asOf);
      if (list === undefined) unranked++;
      lists[m] = list ?? [];
    }
  };
  const probe = plan.threads === 1 ? n : Math.min(n, PROBE_USERS);
  const t0 = performance.now();
  runHere(0, probe);
  if (probe === n) return { lists, unranked, workers: 0 };
  const expectedMs = ((performance.now() - t0) / probe) * (n - probe);
  const workers = plan.threads >= 2 ? plan.threads : expectedMs > WORKERS_PAY_AFTER_MS ? AUTO_WORKERS : 0;
  if (workers > 0) {
    const rest = await recommendInWorkers(model, plan.algorithm, Array.from(byClock.subarray(probe), (m) => plan.users[m]), plan.k, workers);
    if (rest) {
      rest.lists.forEach((list, j) => (lists[byClock[probe + j]] = list));
      return { lists, unranked: unranked + rest.unranked, workers };
    }
  }
  runHere(probe, n);
  return { lists, unranked, workers: 0 };
}
