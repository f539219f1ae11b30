/**
 * One open-loop run at a fixed rate (serve-rated.ts) with its CPU accounted: the server's, read from
 * /proc for its child process, and this process's own — the load generator runs on the same cores,
 * so "the server at 70% of the machine" has to say what the generator took beside it — and what every
 * other process took (/proc/stat): on a shared machine the neighbours, not the server, can set capacity.
 */
import { availableParallelism } from 'node:os';
import { runRatedLoad, type RatedLoadOptions, type RatedLoadResult } from './serve-rated.ts';
import { cpuSeconds, machineCpuTicks, threadCpuMs, threadTicks } from './server-probes.ts';

export interface RatedStep extends RatedLoadResult {
  /** the rate offered, requests/s (= offeredPerSecond) */
  rate: number;
  /** requests/s answered (= perSecond), and p99 from when each was due (= latencyMs.p99): what capacity-search.ts judges */
  achievedPerSecond: number;
  p99Ms: number;
  /** non-2xx answers and failed requests (= non2xx + errors) */
  failedRequests: number;
  /** the server's CPU time (user + system, all threads) per request answered, ms */
  cpuMsPerRequest: number;
  /** the server's CPU time over the step / (cores × the step's seconds) */
  serverCpuShare: number;
  /** this process's (the load generator's) CPU time over the step / (cores × the step's seconds) */
  generatorCpuShare: number;
  /** every other process's CPU time over the step / the machine's: the neighbours */
  othersCpuShare: number;
  /** the server's CPU per request answered by thread name (http, page-worker, page-log, wal-checkpoint, node: V8's helpers and libuv), ms */
  threadCpuMsPerRequest: Record<string, number>;
}

/** Offers `rate` requests/s for `seconds` to the server whose process is `pid`; resolves once all are answered. */
export async function runRatedStep(opts: RatedLoadOptions & { pid: number | undefined }): Promise<RatedStep> {
  const cores = availableParallelism();
  const serverBefore = await cpuSeconds(opts.pid);
  const threadsBefore = opts.pid === undefined ? new Map() : threadTicks(opts.pid);
  const machineBefore = await machineCpuTicks();
  const generatorBefore = process.cpuUsage();
  const began = performance.now();
  const run = await runRatedLoad(opts);
  const generator = process.cpuUsage(generatorBefore);
  const serverSeconds = (await cpuSeconds(opts.pid)) - serverBefore;
  const byThread = opts.pid === undefined ? {} : threadCpuMs(threadsBefore, threadTicks(opts.pid));
  const machineAfter = await machineCpuTicks();
  const seconds = (performance.now() - began) / 1000;
  const serverCpuShare = serverSeconds / (cores * seconds), generatorCpuShare = (generator.user + generator.system) / 1e6 / (cores * seconds);
  const machineBusyShare = (machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total);
  return {
    ...run, rate: opts.rate, achievedPerSecond: run.perSecond, p99Ms: run.latencyMs.p99, failedRequests: run.non2xx + run.errors,
    cpuMsPerRequest: round(serverSeconds * 1000 / run.requests, 100),
    serverCpuShare: round(serverCpuShare, 1000), generatorCpuShare: round(generatorCpuShare, 1000),
    othersCpuShare: round(Math.max(0, machineBusyShare - serverCpuShare - generatorCpuShare), 1000),
    threadCpuMsPerRequest: Object.fromEntries(Object.entries(byThread).map(([name, ms]) => [name, round(ms / run.requests, 1000)])),
  };
}

const round = (x: number, by: number): number => Math.round(x * by) / by;
