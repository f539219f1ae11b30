/**
 * The soak's capacity, measured the way the soak loads (issue 20): a short closed-loop saturation
 * run gives an estimate (what capacity used to be: it overstates, kept for comparison), then
 * open-loop steps of the same mix (capacity-search.ts) find the highest rate the server answers in
 * full with a bounded p99. Each step records the server's and the load generator's CPU shares of
 * the machine, so the soak can show what "70% of capacity" was in cores.
 * Before the steps the mix runs until the server's CPU per request stops rising (settle.ts): 20 s steps
 * right after the warm-up measured 1.74 ms a request where the soak then met 2.1–2.5 ms, so "70%" of
 * that capacity ran the machine near saturation (RELIABILITY.md).
 * TODO(soak capacity): after settling, a 20 s step still cost 2.15 ms a request where the soak met
 * 2.52 (run of 2026-12-07 19:44: "70%" was ~82% of the server's CPU there); steps of minutes would close it.
 */
import type { GcTally, IsolateGc } from './gc-trace.ts';
import { searchCapacity, type CapacitySearchOptions, type CapacityStep } from './capacity-search.ts';
import { runRatedStep, type RatedStep } from './rated-step.ts';
import { settle, SETTLE_RULE } from './settle.ts';
import { runLoad, type RequestSpec } from './serve-load.ts';
import { cacheHitRate, cacheLookups, cpuSeconds } from './server-probes.ts';

export interface SoakCapacityOptions {
  baseUrl: string;
  pid: number | undefined;
  next: () => RequestSpec;
  connections: number;
  /** seconds of the closed-loop estimate (0: none; then `startRate` is needed) */
  closedLoopSeconds: number;
  /** seconds of each open-loop step */
  stepSeconds: number;
  /** the first rate offered (default: half the closed-loop estimate) */
  startRate?: number;
  /** before the steps, the mix at the start rate for up to this long, until CPU per request settles (0: no settling) */
  settleSeconds?: number;
  search: Pick<CapacitySearchOptions<RatedStep>, 'growth' | 'precision' | 'maxSteps' | 'p99BoundMs' | 'minAchievedShare'>;
  onNon2xx?: (spec: RequestSpec, status: number, body: string) => void;
  /** the server's GC lines (--trace-gc), taken per step */
  gc?: GcTally;
}

/** A step with what explains its cost: GC (with --trace-gc) and the caches' hit rates. */
type StepDiagnosis = RatedStep & { gc?: IsolateGc[]; pageHitRate: number | null; rowHitRate: number | null };

/** One step of the search as the results keep it. */
export interface SoakCapacityStep {
  rate: number;
  achievedPerSecond: number;
  latencyMs: RatedStep['latencyMs'];
  held: boolean;
  why: string;
  non2xx: number;
  errors: number;
  cpuMsPerRequest: number;
  serverCpuShare: number;
  generatorCpuShare: number;
  othersCpuShare: number;
  clientLoopDelayP99Ms: number;
  /** the server's CPU per request by thread name, ms (rated-step.ts) */
  threadCpuMsPerRequest?: Record<string, number>;
  /** GC pauses by isolate over the step (with --trace-gc) */
  gc?: IsolateGc[];
  /** the page and row caches' hit rates over the step */
  pageHitRate?: number | null;
  rowHitRate?: number | null;
}

export interface SoakCapacity {
  method: 'open-loop search';
  /** the highest offered rate that held, requests/s */
  perSecond: number;
  /** the lowest that failed (null when none did within the steps allowed) */
  lowestFailed: number | null;
  converged: boolean;
  stepSeconds: number;
  p99BoundMs: number;
  minAchievedShare: number;
  /** the step at `perSecond`: its CPU per request and the machine's share the server and the generator used */
  atCapacity: SoakCapacityStep;
  steps: SoakCapacityStep[];
  closedLoop?: { seconds: number; perSecond: number; latencyMs: { p50: number; p99: number }; non2xx: number; cpuMsPerRequest: number };
  /** the mix at the start rate before the steps, until CPU per request stopped rising (settle.ts) */
  settle?: SoakSettle;
}

export interface SoakSettle {
  rate: number;
  chunkSeconds: number;
  /** whether it settled within the chunks allowed (false: the steps met a cost still rising) */
  settled: boolean;
  chunks: Array<{ cpuMsPerRequest: number; serverCpuShare: number; pageHitRate: number | null; threadCpuMsPerRequest: Record<string, number> }>;
}

/** Measures the capacity; logs each step as it goes. */
export async function measureSoakCapacity(opts: SoakCapacityOptions): Promise<SoakCapacity> {
  let closedLoop: SoakCapacity['closedLoop'];
  if (opts.closedLoopSeconds > 0) {
    console.log(`capacity estimate: the mix at saturation (closed loop, ${opts.connections} connections), ${opts.closedLoopSeconds} s…`);
    const cpuBefore = await cpuSeconds(opts.pid);
    const run = await runLoad({ baseUrl: opts.baseUrl, paths: [], next: opts.next, connections: opts.connections, duration: opts.closedLoopSeconds });
    const cpuMsPerRequest = Math.round(((await cpuSeconds(opts.pid)) - cpuBefore) * 1e5 / run.requests) / 100;
    closedLoop = { seconds: run.seconds, perSecond: run.perSecond, latencyMs: { p50: run.latencyMs.p50, p99: run.latencyMs.p99 }, non2xx: run.non2xx, cpuMsPerRequest };
    console.log(`  ${run.perSecond} requests/s closed loop (p99 ${run.latencyMs.p99} ms, server CPU ${cpuMsPerRequest} ms a request)`);
  }
  const startRate = opts.startRate ?? Math.max(1, Math.round((closedLoop?.perSecond ?? 0) / 2));
  const settled = (opts.settleSeconds ?? 0) > 0 ? await settleMix(opts, startRate, opts.settleSeconds!) : undefined;
  console.log(`capacity: open-loop steps of ${opts.stepSeconds} s from ${startRate}/s; a step holds when ≥ ${opts.search.minAchievedShare * 100}% is answered, all 2xx, and p99 ≤ ${opts.search.p99BoundMs} ms`);
  const found = await searchCapacity<StepDiagnosis>({
    ...opts.search, startRate,
    probe: async (rate) => {
      opts.gc?.take();
      const lookups = await cacheLookups(opts.baseUrl);
      const step = await runRatedStep({ baseUrl: opts.baseUrl, pid: opts.pid, paths: [], next: opts.next, connections: opts.connections, rate, seconds: opts.stepSeconds, ...(opts.onNon2xx ? { onNon2xx: opts.onNon2xx } : {}) });
      const after = await cacheLookups(opts.baseUrl);
      const hits = { pageHitRate: cacheHitRate(lookups, after, 'page'), rowHitRate: cacheHitRate(lookups, after, 'row') };
      return { ...step, ...hits, ...(opts.gc ? { gc: opts.gc.take() } : {}) };
    },
    onStep: (s) => console.log(`  ${s.rate}/s offered: ${s.achievedPerSecond}/s answered, p50 ${s.latencyMs.p50} / p99 ${s.latencyMs.p99} ms, `
      + `CPU ${shares(s)} of the cores (${s.cpuMsPerRequest} ms a request) → ${s.held ? 'held' : 'failed'} (${s.why})`),
  });
  const steps = found.steps.map(keep);
  const atCapacity = steps.find((s) => s.held && s.rate === found.capacity);
  if (!atCapacity) throw new Error(`capacity: no step held (from ${startRate}/s; lower --capacity-start or raise --capacity-p99-ms)`);
  return {
    method: 'open-loop search', perSecond: found.capacity, lowestFailed: Number.isFinite(found.lowestFailed) ? found.lowestFailed : null,
    converged: found.converged, stepSeconds: opts.stepSeconds, p99BoundMs: opts.search.p99BoundMs, minAchievedShare: opts.search.minAchievedShare,
    atCapacity, steps, ...(closedLoop ? { closedLoop } : {}), ...(settled ? { settle: settled } : {}),
  };
}

/** The mix at `rate` in 30 s chunks until the server's CPU per request stops rising (settle.ts), at most `seconds`. */
async function settleMix(opts: SoakCapacityOptions, rate: number, seconds: number): Promise<SoakSettle> {
  const chunkSeconds = Math.min(30, seconds);
  console.log(`settle: the mix at ${rate}/s in ${chunkSeconds} s chunks until the server's CPU per request stops rising (${SETTLE_RULE.window} chunks ≤ ${SETTLE_RULE.tolerance * 100}% above the ${SETTLE_RULE.window} before; at most ${seconds} s)…`);
  const chunks: SoakSettle['chunks'] = [];
  const found = await settle(async () => {
    const before = await cacheLookups(opts.baseUrl);
    const run = await runRatedStep({ baseUrl: opts.baseUrl, pid: opts.pid, paths: [], next: opts.next, connections: opts.connections, rate, seconds: chunkSeconds, ...(opts.onNon2xx ? { onNon2xx: opts.onNon2xx } : {}) });
    const pageHitRate = cacheHitRate(before, await cacheLookups(opts.baseUrl), 'page');
    chunks.push({ cpuMsPerRequest: run.cpuMsPerRequest, serverCpuShare: run.serverCpuShare, pageHitRate, threadCpuMsPerRequest: run.threadCpuMsPerRequest });
    console.log(`  ${run.perSecond}/s answered, server CPU ${run.cpuMsPerRequest} ms a request (${shares(run)} of the cores), page cache hits ${pageHitRate}`);
    return run.cpuMsPerRequest;
  }, Math.max(2 * SETTLE_RULE.window, Math.round(seconds / chunkSeconds)));
  return { rate, chunkSeconds, settled: found.settled, chunks };
}

function keep(s: CapacityStep<StepDiagnosis>): SoakCapacityStep {
  return {
    threadCpuMsPerRequest: s.threadCpuMsPerRequest, pageHitRate: s.pageHitRate, rowHitRate: s.rowHitRate, ...(s.gc ? { gc: s.gc } : {}),
    rate: s.rate, achievedPerSecond: s.achievedPerSecond, latencyMs: s.latencyMs, held: s.held, why: s.why, non2xx: s.non2xx, errors: s.errors,
    cpuMsPerRequest: s.cpuMsPerRequest, serverCpuShare: s.serverCpuShare, generatorCpuShare: s.generatorCpuShare, othersCpuShare: s.othersCpuShare, clientLoopDelayP99Ms: s.clientLoopDelayMs.p99,
  };
}

/** A share as a whole percentage, as text. */
export function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** Who used the machine's CPU, as text: "server 62% + generator 9% + others 3%" (others absent when not recorded). */
export function shares(s: { serverCpuShare: number; generatorCpuShare: number; othersCpuShare?: number }): string {
  return `server ${pct(s.serverCpuShare)} + generator ${pct(s.generatorCpuShare)}${s.othersCpuShare === undefined ? '' : ` + others ${pct(s.othersCpuShare)}`}`;
}
