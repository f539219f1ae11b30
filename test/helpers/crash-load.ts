/**
 * What a server is busy with when the crash tests SIGKILL it, each a loop in the test process that
 * runs until the server dies (a request that fails ends it) and keeps exactly what was acknowledged:
 * an event stream, activate/rollback requests, and page requests for one member. A response received
 * counts as acknowledged even when it arrives after the kill was ordered: the server sent it before it
 * died, so what it promised must be on disk.
 */
import type { VitrineEvent } from '../../src/core/types.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** POSTs JSON; the status and parsed body (undefined when the body is not JSON). */
export async function postJson(url: string, body?: unknown, method = 'POST'): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, body === undefined ? { method } : { method, headers: JSON_HEADERS, body: JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch { parsed = undefined; }
  return { status: res.status, body: parsed };
}

/**
 * Paces a client loop to at most `perSecond` calls a second (the rounds are about what is in flight at
 * the kill, not about saturating the server: on 2 shared cores a flat-out loop slows every round).
 */
export function pacer(perSecond: number): () => Promise<void> {
  const began = performance.now();
  let calls = 0;
  return async () => {
    const dueMs = (calls++ / perSecond) * 1000 - (performance.now() - began);
    if (dueMs > 0) await new Promise((resolve) => setTimeout(resolve, dueMs));
  };
}

/** A loop running against a server until it fails or is stopped. */
export interface Loop {
  /** resolves once the loop has ended (it never rejects) */
  readonly ended: Promise<void>;
  stop(): void;
}

/**
 * One long event stream cut into rounds: each `run` posts the next unsent batches, `inflight` at a
 * time, until stopped or the server dies. Every event is sent at most once per run; `sent` and
 * `acked` span all runs, so a checker knows what may and what must be stored.
 */
export class EventStream {
  readonly acked = new Set<string>();
  readonly sent = new Set<string>();
  private next = 0;
  /** acknowledgements of the current run */
  ackedThisRun = 0;
  /** answers that were not a 200 accepting the whole batch (must stay empty) */
  readonly surprises: string[] = [];

  constructor(readonly events: readonly VitrineEvent[], private readonly batch: number) {}

  get exhausted(): boolean {
    return this.next >= this.events.length;
  }

  /** Sends at most `perSecond` events a second (a paced client: the rounds stay short and the store small). */
  run(baseUrl: string, inflight: number, perSecond: number): Loop {
    let stopped = false;
    this.ackedThisRun = 0;
    const paced = pacer(perSecond / this.batch);
    const send = async () => {
      while (!stopped && this.next < this.events.length) {
        await paced();
        if (stopped) return;
        const batch = this.events.slice(this.next, this.next + this.batch);
        this.next += batch.length;
        for (const e of batch) this.sent.add(e.id);
        try {
          const res = await postJson(`${baseUrl}/v1/events`, { events: batch });
          const body = res.body as { accepted?: number; rejected?: unknown[] } | undefined;
          // not acknowledged; and a server that dies by SIGKILL never refuses on its way out, so it is worth a look
          if (res.status !== 200 || body?.accepted !== batch.length) {
            this.surprises.push(`batch at ${batch[0].id}: ${res.status} ${JSON.stringify(body)}`);
            if (res.status !== 200) return;
          }
          for (const e of batch) this.acked.add(e.id);
          this.ackedThisRun += batch.length;
        } catch {
          return; // the server is gone
        }
      }
    };
    const ended = Promise.all(Array.from({ length: inflight }, send)).then(() => undefined);
    return { ended, stop: () => { stopped = true; } };
  }
}

/** What the activation loop knows from acknowledged answers, and what it had in flight at the end. */
export interface ActivationState {
  algorithm: string;
  /** the active version per the last acknowledged answer (or the registry at the start) */
  active: string;
  /** the previous version, when known (a rollback makes it unknown until the next restart) */
  previous?: string;
  /** the version the unanswered request would have made active, when known */
  inFlight?: string;
  /** acknowledged activations and rollbacks this run */
  acked: number;
  /** answers that were not a 200 while the server was up (must stay empty) */
  refusals: string[];
}

/**
 * Activates versions of one algorithm (chosen by `rand` from `versions`) and rolls back, one request
 * at a time, until stopped or the server dies. A rollback is only sent while the previous version is
 * known, so the loop always knows which version an unanswered request would have made active.
 */
export function activationLoop(baseUrl: string, state: ActivationState, versions: readonly string[], rand: () => number,
  perSecond: number): Loop {
  let stopped = false;
  const paced = pacer(perSecond);
  state.acked = 0;
  state.inFlight = undefined;
  const ended = (async () => {
    while (!stopped) {
      await paced();
      const rollback = state.previous !== undefined && rand() < 0.3;
      const target = rollback ? state.previous as string : versions[Math.floor(rand() * versions.length)];
      state.inFlight = target;
      let res: { status: number; body: unknown };
      try {
        res = rollback
          ? await postJson(`${baseUrl}/v1/models/rollback`, { algorithm: state.algorithm })
          : await postJson(`${baseUrl}/v1/models/${encodeURIComponent(target)}/activate`);
      } catch {
        return; // the server is gone with the request unanswered: inFlight stays set
      }
      state.inFlight = undefined;
      if (res.status !== 200) {
        state.refusals.push(`${rollback ? 'rollback' : `activate ${target}`}: ${res.status} ${JSON.stringify(res.body)}`);
        return;
      }
      const before = state.active;
      state.active = rollback ? (res.body as { active: { version: string } }).active.version : (res.body as { model: { version: string } }).model.version;
      // activate: the one it replaced is previous; rollback: an older version is (which the answer does not name)
      state.previous = rollback ? undefined : before === state.active ? state.previous : before;
      state.acked++;
    }
  })();
  return { ended, stop: () => { stopped = true; } };
}

/** Requests `userId`'s page again and again until stopped or the server dies; `served` counts the 200s. */
export function pageLoop(baseUrl: string, userId: string, perSecond: number): Loop & { readonly served: number } {
  let stopped = false;
  let served = 0;
  const paced = pacer(perSecond);
  const ended = (async () => {
    while (!stopped) {
      await paced();
      try {
        const res = await fetch(`${baseUrl}/v1/users/${encodeURIComponent(userId)}/page?rows=4&size=10`);
        await res.arrayBuffer();
        if (res.status === 200) served++;
      } catch {
        return;
      }
    }
  })();
  return { ended, stop: () => { stopped = true; }, get served() { return served; } };
}

/**
 * How often a job watcher asks for the job's state. A training phase here lasts tens to hundreds of ms;
 * a 2 ms poll made the server answer ~500 job requests a second through every round (both processes'
 * CPU) to see the same states.
 */
const JOB_POLL_MS = 20;

/** A training job seen from outside: the distinct states polled (status, algorithm, progress label). */
export interface JobWatch {
  jobId: string;
  states: string[];
  finished: boolean;
}

/** Polls GET /v1/jobs/:jobId until stopped, the job ends or the server dies, recording each new state. */
export function watchJob(baseUrl: string, watch: JobWatch): Loop {
  let stopped = false;
  const ended = (async () => {
    while (!stopped && !watch.finished) {
      try {
        const res = await fetch(`${baseUrl}/v1/jobs/${watch.jobId}`);
        const job = await res.json() as { status: string; progress?: { algorithm: string; label: string } };
        const state = `${job.status} ${job.progress?.algorithm ?? '-'} ${job.progress?.label ?? '-'}`;
        if (state !== watch.states.at(-1)) watch.states.push(state);
        if (job.status !== 'running') watch.finished = true;
      } catch {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
    }
  })();
  return { ended, stop: () => { stopped = true; } };
}
