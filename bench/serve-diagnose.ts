/**
 * A development harness for the serving latency (not a benchmark of record: `npm run bench:serve` is).
 * Starts the real server on the cached bench:serve world with the given serving settings, warms the
 * pool as bench:serve does, then runs `--repeat` pairs of (page load at `--rate`, paced freshness
 * trials beside it) and prints, for each, the client's p50/p99 and the server's own share of page
 * requests over 10 and 25 ms (from /metrics), so a change's effect on the tail can be told from noise.
 *   node --import tsx bench/serve-diagnose.ts [--page-workers 2] [--live-ttl-ms N] [--warm 120]
 *     [--repeat 2] [--duration 20] [--trials 200] [--toml 'key = value'…] [--node-arg=--trace-gc | --node-arg=--trace-gc-nvp]
 * With --trace-gc-nvp and GC_DUMP=1 each collection's line is printed: survived and promoted bytes per
 * scavenge per thread (how ADR 0015's promotion loop was found).
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { startServer } from '../test/helpers/server-process.ts';
import { alsTrainer } from '../src/ml/als/als-trainer.ts';
import type { AlsModel } from '../src/ml/als/als-model.ts';
import { runFreshness } from './serve-freshness.ts';
import { runLoad } from './serve-load.ts';
import { runRatedLoad } from './serve-rated.ts';
import { ensureServeWorld, restoreServeStore, serveMembers } from './serve-world.ts';

const { values } = parseArgs({
  options: {
    'page-workers': { type: 'string', default: '2' }, 'live-ttl-ms': { type: 'string' }, warm: { type: 'string', default: '120' },
    repeat: { type: 'string', default: '2' }, duration: { type: 'string', default: '20' }, trials: { type: 'string', default: '200' },
    rate: { type: 'string', default: '1000' }, toml: { type: 'string', multiple: true, default: [] }, 'node-arg': { type: 'string', multiple: true, default: [] },
  },
});
const rate = Number(values.rate), connections = 50, LOOPS = 10, QUERY = 'rows=8&size=20';
const built = ensureServeWorld({ users: 200_000, items: 20_000, days: 90, seed: 11, impressions: 1 });
const members = ((await alsTrainer.load(built.alsDir)) as AlsModel).userIds;
const { pool, trialMembers } = serveMembers(members, 5000);
const paths = pool.map((id) => `/v1/users/${encodeURIComponent(id)}/page?${QUERY}`);
restoreServeStore(built.dataDir);
await writeFile(join(built.dataDir, 'vitrine.toml'), ['[serving]', 'impressionItemEvents = false', 'rowCacheMembers = 20000',
  `pageWorkers = ${Number(values['page-workers'])}`, ...(values['live-ttl-ms'] ? [`rowCacheLiveTtlMs = ${Number(values['live-ttl-ms'])}`] : []),
  ...values.toml, ''].join('\n'));
const server = await startServer({ dataDir: built.dataDir, startTimeoutMs: 120_000, nodeArgs: values['node-arg'] });
// --node-arg=--trace-gc: pauses per isolate during each load
const gcLines: Array<{ at: number; line: string }> = [];
let partial = '';
server.child.stdout?.on('data', (chunk: Buffer) => {
  const text = partial + chunk.toString('utf8');
  const lines = text.split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) if (/ms: (Scavenge|Mark|Minor)|pause=/.test(line)) gcLines.push({ at: performance.now(), line });
});
const gcSummary = (from: number, to: number): string => {
  const by = new Map<string, number[]>();
  for (const { at, line } of gcLines) {
    if (at < from || at > to) continue;
    const isolate = /^\[\d+:(0x[0-9a-f]+)\]/.exec(line)?.[1] ?? '?';
    // --trace-gc lines ("ms: Scavenge … MB, 1.2 / 0.0 ms") or --trace-gc-nvp ones ("pause=1.2 … gc=s")
    const nvp = /pause=([\d.]+).* gc=(\w+)/.exec(line);
    const kind = nvp ? (nvp[2] === 's' ? 'Scavenge' : 'Mark') : /ms: (\w+)/.exec(line)?.[1] ?? '?';
    const ms = Number(nvp?.[1] ?? /MB, ([\d.]+) \/ /.exec(line)?.[1] ?? NaN);
    const key = `${isolate} ${kind}`;
    by.set(key, [...(by.get(key) ?? []), ms]);
  }
  return [...by].map(([k, ms]) => `${k}: ${ms.length}× sum ${Math.round(ms.reduce((a, b) => a + b, 0))} max ${Math.max(...ms)}`).join('; ');
};
try {
  await new Promise((resolve) => setTimeout(resolve, 8000));
  const warm = Number(values.warm);
  console.log(`warming over ${warm} s…`);
  await runRatedLoad({ baseUrl: server.url, paths, connections, rate, seconds: warm, rampSeconds: warm });
  await runLoad({ baseUrl: server.url, paths, connections, duration: 5 });
  let trialAt = 0;
  for (let r = 0; r < Number(values.repeat); r++) {
    const window = await openWindow(server.url, server.child.pid);
    const clientBefore = process.cpuUsage();
    const loadFrom = performance.now();
    const rated = await runRatedLoad({ baseUrl: server.url, paths, connections, rate, seconds: Number(values.duration) });
    if (gcLines.length) console.log(`gc: ${gcSummary(loadFrom, performance.now())}`);
    if (process.env.GC_DUMP) for (const { at, line } of gcLines) if (at >= loadFrom) console.log(`  ${Math.round(at - loadFrom)} ${line}`);
    const load = await window.close(rated.seconds);
    const clientCpu = process.cpuUsage(clientBefore);
    console.log(`cpu %: client ${Math.round((clientCpu.user + clientCpu.system) / 1e4 / rated.seconds)}; server ${load.cpu}`);
    console.log(`load: p50 ${rated.latencyMs.p50} p90 ${rated.latencyMs.p90} p99 ${rated.latencyMs.p99} max ${rated.latencyMs.max} ms;`
      + ` server > 10 ms ${load.over10}%, > 25 ms ${load.over25}%; client loop p99 ${rated.clientLoopDelayMs.p99} max ${rated.clientLoopDelayMs.max}`);
    const freshWindow = await openWindow(server.url, server.child.pid);
    const freshFrom = performance.now();
    const stop = new AbortController();
    const bg = runRatedLoad({ baseUrl: server.url, paths, connections: connections - LOOPS, rate, seconds: 600, signal: stop.signal });
    const trials = Number(values.trials);
    const fresh = await runFreshness(server.url, trialMembers.slice(trialAt, trialAt + trials), trials, QUERY, LOOPS, 20);
    trialAt += trials;
    stop.abort();
    const during = await bg;
    console.log(`fresh: p50 ${fresh.p50Ms} p99 ${fresh.p99Ms} max ${fresh.maxMs} (event p99 ${fresh.eventP99Ms}) stale ${fresh.stale}; load beside p50 ${during.latencyMs.p50} p90 ${during.latencyMs.p90} p99 ${during.latencyMs.p99} max ${during.latencyMs.max}`);
    const trialsWindow = await freshWindow.close();
    console.log(`  during the trials: server > 10 ms ${trialsWindow.over10}%, > 25 ms ${trialsWindow.over25}%; cpu % ${trialsWindow.cpu}`);
    if (gcLines.length) console.log(`  gc during the trials: ${gcSummary(freshFrom, performance.now())}`);
  }
} finally {
  await server.stop();
}

/**
 * A span of the server's life: on close, the share of page requests over 10 and 25 ms inside the
 * server (/metrics) and each busy thread's CPU % over the span (over `seconds` when given).
 */
async function openWindow(baseUrl: string, pid: number | undefined) {
  const buckets = await pageBuckets(baseUrl);
  const ticks = await threadTicks(pid);
  const from = performance.now();
  return {
    async close(seconds = (performance.now() - from) / 1000): Promise<{ over10: number; over25: number; cpu: string }> {
      const bucketsAfter = await pageBuckets(baseUrl);
      const ticksAfter = await threadTicks(pid);
      const share = (le: string) => Math.round((1 - (bucketsAfter[le] - buckets[le]) / (bucketsAfter['+Inf'] - buckets['+Inf'])) * 10000) / 100;
      const cpu = [...ticksAfter].map(([tid, t]) => ({ name: t.name, pct: Math.round((t.ticks - (ticks.get(tid)?.ticks ?? 0)) / seconds) }))
        .filter((t) => t.pct > 0).sort((a, b) => b.pct - a.pct).map((t) => `${t.name} ${t.pct}`).join(', ');
      return { over10: share('0.01'), over25: share('0.025'), cpu };
    },
  };
}

/** Each server thread's CPU ticks so far (utime + stime, 100 a second), by thread id. */
async function threadTicks(pid: number | undefined): Promise<Map<string, { name: string; ticks: number }>> {
  const out = new Map<string, { name: string; ticks: number }>();
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
    const name = /\((.*)\)/.exec(stat)?.[1] ?? '?';
    const fields = stat.split(') ')[1]?.split(' ') ?? [];
    out.set(tid, { name: `${name}#${tid}`, ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return out;
}

/** Cumulative counts of page requests by latency bucket (le) from /metrics (every status). */
async function pageBuckets(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(new URL('/metrics', baseUrl))).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^vitrine_http_request_duration_seconds_bucket\{([^}]*)\} (\d+)/gm)) {
    if (!m[1].includes('route="/v1/users/:userId/page"') || !m[1].includes('method="GET"')) continue;
    const le = /le="([^"]+)"/.exec(m[1])?.[1];
    if (le) out[le] = (out[le] ?? 0) + Number(m[2]);
  }
  return out;
}
