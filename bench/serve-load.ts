/**
 * The serving benchmark's load generator: autocannon with `connections` keep-alive connections, each
 * request on the next path of a rotating list (known members), for a fixed duration or a fixed
 * number of requests. Latency percentiles come from autocannon's HDR histogram (ms).
 */
import autocannon from 'autocannon';

export interface LoadResult {
  seconds: number;
  requests: number;
  perSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** One request of a mixed load (pages, event batches, catalogue writes…). */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** sent as JSON */
  body?: unknown;
  /** what the request is, for figures by kind (pages, events…) */
  kind?: string;
}

export interface LoadOptions {
  baseUrl: string;
  /** GETs of these paths in turn; ignored when `next` is given */
  paths: readonly string[];
  /** the next request of a mixed load */
  next?: () => RequestSpec;
  connections: number;
  /** seconds; or `amount` requests */
  duration?: number;
  amount?: number;
}

/** Drives the load and resolves with its figures. */
export function runLoad(opts: LoadOptions): Promise<LoadResult> {
  return startLoad(opts).done;
}

/** Starts the load; `stop()` ends it early (the result then covers the time it ran). */
export function startLoad(opts: LoadOptions): { done: Promise<LoadResult>; stop: () => void } {
  let next = 0;
  const { paths } = opts;
  let instance: { stop(): void } | undefined;
  const done = new Promise<LoadResult>((resolve, reject) => {
    instance = autocannon({
      url: opts.baseUrl,
      connections: opts.connections,
      ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration ?? 10 }),
      timeout: 10,
      requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => {
        if (!opts.next) return { ...req, path: paths[next++ % paths.length] };
        const spec = opts.next();
        return spec.body === undefined ? { ...req, method: spec.method, path: spec.path }
          : { ...req, method: spec.method, path: spec.path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec.body) };
      } }],
    }, (err, result) => {
      if (err || !result) return reject(err ?? new Error('autocannon gave no result'));
      const seconds = result.duration;
      resolve({
        seconds,
        requests: result.requests.total,
        perSecond: Math.round(result.requests.total / seconds),
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
      });
    });
  });
  return { done, stop: () => instance?.stop() };
}
