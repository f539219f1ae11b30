/**
 * An open-loop load generator: requests are due at a fixed rate (evenly spaced), whatever the server
 * does, and go out on `connections` keep-alive connections; a request due while every connection is
 * busy waits for one. Each latency runs from the moment the request was DUE, not from when it could be
 * sent, so a server that stalls is charged for every request it held up (no coordinated omission).
 *
 * Why not autocannon's `overallRate`: it lets each connection send its whole second's quota back to
 * back at the top of every second and then pauses, so the first half of each second is a closed-loop
 * burst at saturation and the rate is an average over bursts, not a load.
 */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { quantile } from './ingest-http-load.ts';
import type { LoadResult, RequestSpec } from './serve-load.ts';

export interface RatedLoadOptions {
  baseUrl: string;
  /** GETs of these paths; ignored when `next` is given */
  paths: readonly string[];
  /** the next request of a mixed load (then `rampSeconds` does not apply) */
  next?: () => RequestSpec;
  connections: number;
  /** requests per second offered */
  rate: number;
  seconds: number;
  /** told of every answer (or failure) with its latency from when it was due, ms */
  onAnswer?: (spec: RequestSpec, ms: number) => void;
  /** told of every answer that is not a 2xx (which request, its status, the start of its body) */
  onNon2xx?: (spec: RequestSpec, status: number, body: string) => void;
  /** stops offering early (the result covers what was offered) */
  signal?: AbortSignal;
  /**
   * seconds over which the paths come into use: at elapsed t only the first ⌈N × t / ramp⌉ are asked
   * for (each one first as it comes into use, then uniformly at random among them), so first visits are
   * spread evenly over the ramp instead of all falling in the first N / rate seconds
   */
  rampSeconds?: number;
}

export interface RatedLoadResult extends LoadResult {
  /** the rate asked for; `perSecond` is what was answered */
  offeredPerSecond: number;
  /** largest number of due requests waiting for a free connection at once */
  maxBacklog: number;
  /** this (the client's) event loop's delay, ms: a stalled client would charge its stall to the server */
  clientLoopDelayMs: { p99: number; max: number };
}

/** Offers `rate` requests per second for `seconds` and resolves once every one has been answered. */
export async function runRatedLoad(opts: RatedLoadOptions): Promise<RatedLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  let total = Math.round(opts.rate * opts.seconds);
  const latencies = new Float64Array(total);
  const intervalMs = 1000 / opts.rate;
  let issued = 0, answered = 0, non2xx = 0, errors = 0, inFlight = 0, maxBacklog = 0;
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const began = performance.now();
  let finished!: () => void;
  const allAnswered = new Promise<void>((resolve) => { finished = resolve; });

  const { paths } = opts;
  const rampMs = (opts.rampSeconds ?? 0) * 1000;
  let firstUnasked = 0;
  const pathAt = (dueAt: number): string => {
    const elapsed = dueAt - began;
    // uniformly at random, as members come: in turn, member k came back exactly every N / rate s, so
    // members whose cached pages expired together (first seen together) were all back within a
    // fraction of a second, and their recompositions arrived as a wave every N / rate s (ADR 0008)
    if (elapsed >= rampMs) return paths[Math.floor(Math.random() * paths.length)];
    const inUse = Math.max(1, Math.ceil((paths.length * elapsed) / rampMs));
    // each path's first request when it comes into use (a random pick may never reach the last ones)
    if (firstUnasked < inUse) return paths[firstUnasked++];
    return paths[Math.floor(Math.random() * inUse)];
  };
  const issue = (dueAt: number) => {
    const spec: RequestSpec = opts.next ? opts.next() : { method: 'GET', path: pathAt(dueAt) };
    issued++;
    inFlight++;
    maxBacklog = Math.max(maxBacklog, inFlight - opts.connections);
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const req = http.request(new URL(spec.path, opts.baseUrl), {
      agent, method: spec.method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' } }),
    }, (res) => {
      const failed = (res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299;
      let text = '';
      res.on('data', (chunk: Buffer) => { if (failed && text.length < 1000) text += chunk.toString(); }).on('end', () => {
        if (failed) {
          non2xx++;
          opts.onNon2xx?.(spec, res.statusCode ?? 0, text);
        }
        done(dueAt, spec);
      });
    });
    req.on('error', () => { errors++; done(dueAt, spec); });
    req.end(body);
  };
  const done = (dueAt: number, spec: RequestSpec) => {
    const ms = performance.now() - dueAt;
    latencies[answered++] = ms;
    opts.onAnswer?.(spec, ms);
    inFlight--;
    if (answered === total && issued === total) finished();
  };
  // every millisecond or so: send everything that has fallen due since the last tick
  await new Promise<void>((resolve) => {
    const tick = () => {
      if (opts.signal?.aborted && issued < total) {
        total = issued;
        if (answered === total) finished();
      }
      const elapsed = performance.now() - began;
      const due = Math.min(total, Math.floor(elapsed / intervalMs) + 1);
      while (issued < due) issue(began + issued * intervalMs);
      if (issued < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await allAnswered;
  const seconds = (performance.now() - began) / 1000;
  agent.destroy();
  loopDelay.disable();
  const clientLoopDelayMs = { p99: round(loopDelay.percentile(99) / 1e6), max: round(loopDelay.max / 1e6) };
  const sorted = latencies.subarray(0, total).sort();
  const q = (p: number) => round(quantile(sorted, p));
  let sum = 0;
  for (const x of sorted) sum += x;
  return {
    seconds: Math.round(seconds * 10) / 10, requests: total, perSecond: Math.round(total / seconds), offeredPerSecond: opts.rate,
    latencyMs: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: round(quantile(sorted, 1)), mean: round(sum / total) },
    non2xx, errors, timeouts: 0, maxBacklog, clientLoopDelayMs,
  };
}

const round = (x: number): number => Math.round(x * 10) / 10;
