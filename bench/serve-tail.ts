/**
 * What holds up the slowest pages at the target rate (issue 22): the real `vitrine serve` (a child
 * process, 2 page workers, default caches) on a copy of bench:serve's world, offered bench:serve's
 * traffic stream open loop at `--rate` after a closed-loop warm-up, with `--trace-gc` on every thread.
 * It prints:
 * - latency by the page worker that owns the member (protocol.ts ownerOf): a stall of one worker
 *   holds up only its members (then the other's are fast), one of the HTTP thread or the machine all;
 * - the stalls: requests slower than `--slow` ms grouped by when they fell due, each with the
 *   collections (per V8 isolate: the HTTP thread's and each worker's heap) that ended meanwhile;
 * - each isolate's collections during the rated load: count, pause in all and the longest, by kind;
 * - CPU per page by thread (/proc).
 * - with `--task-ms N` (default 10; 0 turns it off): each thread's stretches of N+ ms of its own CPU
 *   between marks (src/core/task-trace.ts: a page worker marks each message begun and answered, every
 *   thread a 5 ms heartbeat), grouped by what they lay between, and the longest with the member;
 * - with `--trials N`: N freshness trials (rent → 200 → next page, bench/serve-freshness.ts) at
 *   `--trial-rate` a second beside the rated load, as bench:serve runs them: the event path's waits show too;
 * With `--node-flags --trace-gc-nvp` instead, bytes allocated, surviving a scavenge and promoted per page too.
 * Pause times are V8's own (wall time inside the pause, inflated by a loaded machine); the counts and
 * the sizes collected are load-independent. `bench/serve-diagnose.ts` is the hot-pool counterpart.
 *   node --import tsx bench/serve-tail.ts [--rate 1000] [--seconds 30] [--warm 20] [--workers 2]
 *     [--closed 4 --pages 10000] [--slow 25] [--node-flags "--max-semi-space-size=32"] [--serving 'heapGrowthPercent = 0']… [--data DIR]
 */
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { ownerOf } from '../src/serving/page-workers/protocol.ts';
import { startServer } from '../test/helpers/server-process.ts';
import { runLoad } from './serve-load.ts';
import { runFreshness } from './serve-freshness.ts';
import { runRatedLoad, type RatedLoadResult } from './serve-rated.ts';
import { cacheLookups, threadTicks, waitIdle } from './server-probes.ts';
import { trafficStream } from './serve-traffic.ts';
import { SERVE_WORLD_CACHE } from './serve-world.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: join(SERVE_WORLD_CACHE, 'u200000-i20000-d90-s11-imp1', 'data') },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '30' },
    warm: { type: 'string', default: '20' },
    workers: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    slow: { type: 'string', default: '25' },
    'task-ms': { type: 'string', default: '10' },
    trials: { type: 'string', default: '0' },
    'trial-rate': { type: 'string', default: '20' },
    // instead of the open-loop rate: this many pages closed loop on `--closed` connections (few: no queue
    // in the server, so what survives a collection is what a healthy server keeps; counts per page are then load-independent)
    closed: { type: 'string' },
    pages: { type: 'string', default: '10000' },
    'node-flags': { type: 'string', default: '' },
    serving: { type: 'string', multiple: true, default: [] },
  },
});
const rate = Number(values.rate), seconds = Number(values.seconds), workers = Number(values.workers), slowMs = Number(values.slow);
const QUERY = 'rows=8&size=20';
const r1 = (x: number) => Math.round(x * 10) / 10;

interface Gc {
  at: number; isolate: string; kind: string; pauseMs: number; fromMb: number; toMb: number;
  /** with --trace-gc-nvp: bytes allocated since the last collection, copied within and promoted out of the young generation */
  allocated?: number; survived?: number; promoted?: number;
}
// --trace-gc-nvp: [pid:0xISOLATE]   12345 ms: pause=1.2 mutator=… gc=s … allocated=N promoted=N new_space_survived=N …
const NVP_LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: pause=([\d.]+) .*?gc=(\w+) /;
const NVP_KINDS: Record<string, string> = { s: 'Scavenge', ms: 'Mark-Compact', mmc: 'Minor Mark-Compact' };
const nvpField = (line: string, name: string) => Number(new RegExp(` ${name}=(\\d+)`).exec(line)?.[1] ?? NaN);
// [pid:0xISOLATE]   12345 ms: Scavenge 12.3 (14.0) -> 11.1 (15.0) MB, 1.23 / 0.00 ms  (…)
const GC_LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: ([A-Za-z -]+?) (?:\(reduce\) )?([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, (?:pooled: [\d.]+ MB, )?([\d.]+) \/ [\d.]+ ms/;

// src/core/task-trace.ts: [task-trace] THREAD cpu=… wall=… from="…" to="…" gc=…
const TRACE_LINE = /^\[task-trace\] (.+?) cpu=([\d.]+) wall=([\d.]+) from="([^"]*)" to="([^"]*)" gc=(\S+)/;
// src/core/task-trace.ts traceBlocking: [task-wait] THREAD LABEL wall=… cpu=…
const WAIT_LINE = /^\[task-wait\] (http|thread \d+) (.+?) wall=([\d.]+) cpu=([\d.]+)(?: slept=(\d+) preempted=(\d+))?/;
interface Stretch { at: number; thread: string; cpuMs: number; wallMs: number; from: string; to: string; gc: string }
/** a mark without its member: "begin page u123 first" → "begin page (first)" */
const markKind = (label: string) => label.replace(/^(begin|reply) page \S+( first)?$/, (_, w: string, f?: string) => `${w} page${f ? ' (first)' : ''}`);

function members(dbFile: string): string[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare('SELECT id FROM users ORDER BY id').pluck().all() as string[];
  } finally {
    db.close();
  }
}

/** vitrine_pages_composed_total by its `where` label. */
async function composedByWhere(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  return new Map([...text.matchAll(/^vitrine_pages_composed_total\{where="([\w-]+)"\} (\d+)/gm)].map((m) => [m[1], Number(m[2])]));
}

function quantile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

const dir = mkdtempSync(join(tmpdir(), 'vitrine-tail-'));
try {
  copyFileSync(join(values.data, '..', 'pristine.db'), join(dir, 'vitrine.db'));
  symlinkSync(join(values.data, 'models'), join(dir, 'models'));
  writeFileSync(join(dir, 'vitrine.toml'),
    `# written by bench/serve-tail.ts\n[serving]\nimpressionItemEvents = false\npageWorkers = ${workers}\n${values.serving.map((l) => `${l}\n`).join('')}`);
  const population = members(join(dir, 'vitrine.db'));
  const traffic = trafficStream({ members: population, rate, zipf: 1, sessionPages: 3, thinkSeconds: 30, seed: 11, query: QUERY });
  const server = await startServer({
    dataDir: dir, startTimeoutMs: 600_000, env: Number(values['task-ms']) > 0 ? { VITRINE_TASK_TRACE_MS: values['task-ms'] } : {}, nodeArgs: [...(values['node-flags'].includes('--trace-gc-nvp') ? [] : ['--trace-gc']), ...values['node-flags'].split(' ').filter(Boolean)],
  });
  const gcs: Gc[] = [];
  const stretches: Stretch[] = [];
  const waits: Array<{ at: number; thread: string; label: string; wallMs: number; cpuMs: number; slept: number; preempted: number }> = [];
  const isolates: string[] = [];
  let pending = '';
  server.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    const at = performance.now();
    for (const line of lines) {
      const w = WAIT_LINE.exec(line);
      if (w) {
        waits.push({ at, thread: w[1], label: w[2], wallMs: Number(w[3]), cpuMs: Number(w[4]), slept: Number(w[5] ?? 0), preempted: Number(w[6] ?? 0) });
        continue;
      }
      const t = TRACE_LINE.exec(line);
      if (t) {
        stretches.push({ at, thread: t[1], cpuMs: Number(t[2]), wallMs: Number(t[3]), from: t[4], to: t[5], gc: t[6] });
        continue;
      }
      const n = NVP_LINE.exec(line);
      if (n) {
        if (!isolates.includes(n[1])) isolates.push(n[1]);
        gcs.push({
          at, isolate: n[1], kind: NVP_KINDS[n[3]] ?? n[3], pauseMs: Number(n[2]), fromMb: nvpField(line, 'total_size_before') / 2 ** 20,
          toMb: nvpField(line, 'total_size_after') / 2 ** 20, allocated: nvpField(line, 'allocated'), survived: nvpField(line, 'new_space_survived'), promoted: nvpField(line, 'promoted'),
        });
        continue;
      }
      const m = GC_LINE.exec(line);
      if (!m) continue;
      if (!isolates.includes(m[1])) isolates.push(m[1]);
      gcs.push({ at, isolate: m[1], kind: m[2].trim(), fromMb: Number(m[3]), toMb: Number(m[4]), pauseMs: Number(m[5]) });
    }
  });
  const pid = server.child.pid!;
  try {
    // start-up (models, ANN indexes, the signals scan) took over waitIdle's 120 s on a loaded machine: wait it out
    for (let k = 0; k < 5 && (await waitIdle(pid)) >= 119; k++);
    console.log(`# serve-tail ${new Date().toISOString()} load ${loadavg().map(r1).join(' ')}; ${workers} workers; flags "${values['node-flags']}"; serving ${JSON.stringify(values.serving)}`);
    await runLoad({ baseUrl: server.url, paths: [], next: traffic.next, connections: Number(values.connections), duration: Number(values.warm) });
    const lookups = await cacheLookups(server.url);
    const ticksBefore = threadTicks(pid);
    const clientCpu = process.cpuUsage();
    const began = performance.now();
    const gcFrom = gcs.length;
    const answers: Array<{ due: number; ms: number; owner: number }> = [];
    const composedBefore = await composedByWhere(server.url);
    // trial members from the end of the id order, so the Zipf stream's early ranks are not all of them (a seeded shuffle: either is fine)
    const trials = Number(values.trials);
    const freshness = trials > 0 && !values.closed
      ? runFreshness(server.url, population.slice(-trials), trials, QUERY, 10, Number(values['trial-rate'])) : undefined;
    const run = values.closed ? await runLoad({
      baseUrl: server.url, paths: [], next: traffic.next, connections: Number(values.closed), amount: Number(values.pages),
    }) : await runRatedLoad({
      baseUrl: server.url, paths: [], next: traffic.next, connections: Number(values.connections), rate, seconds,
      onAnswer: (spec, ms) => {
        const userId = decodeURIComponent(spec.path.split('/')[3]);
        answers.push({ due: performance.now() - ms - began, ms, owner: workers > 0 ? ownerOf(userId, workers) : 0 });
      },
    });
    const fresh = await freshness;
    const ticksAfter = threadTicks(pid);
    const clientUsed = process.cpuUsage(clientCpu);
    const composedAfter = await composedByWhere(server.url);
    console.log(`pages composed by: ${[...composedAfter].map(([w, n]) => `${w} ${n - (composedBefore.get(w) ?? 0)}`).join(' · ')}`);
    const after = await cacheLookups(server.url);
    const window = gcs.slice(gcFrom).map((g) => ({ ...g, at: g.at - began }));
    const pageHits = after['page:hit'] - lookups['page:hit'], pageAll = pageHits + after['page:miss'] - lookups['page:miss'];
    const gcPerK = (n: number) => r1((n * 1000) / run.requests);
    console.log(`${values.closed ? `closed loop on ${values.closed} connections: ${run.requests} pages, ${run.perSecond}/s` : `rated: ${run.requests} pages at ${rate}/s offered`}: p50 ${run.latencyMs.p50} / p90 ${run.latencyMs.p90} / p99 ${run.latencyMs.p99} / max ${run.latencyMs.max} ms; ${'clientLoopDelayMs' in run ? `backlog max ${(run as RatedLoadResult).maxBacklog}; client loop delay p99 ${(run as RatedLoadResult).clientLoopDelayMs.p99} max ${(run as RatedLoadResult).clientLoopDelayMs.max} ms;` : ''} page cache hits ${r1((pageHits / pageAll) * 100)}%; load ${loadavg().map(r1).join(' ')}`);
    for (let w = 0; w < Math.max(1, workers) && !values.closed; w++) {
      const ms = answers.filter((a) => a.owner === w).map((a) => a.ms);
      console.log(`  owner worker ${w}: ${ms.length} pages, p50 ${r1(quantile(ms, 0.5))} / p99 ${r1(quantile(ms, 0.99))} / max ${r1(quantile(ms, 1))} ms`);
    }
    // CPU per page by thread
    const byName = new Map<string, number>();
    for (const [tid, t] of ticksAfter) byName.set(t.name, (byName.get(t.name) ?? 0) + t.ticks - (ticksBefore.get(tid)?.ticks ?? 0));
    if (fresh) console.log(`freshness beside it (indicative under load): ${fresh.trials} trials, ${fresh.stale} stale, p50 ${fresh.p50Ms} / p99 ${fresh.p99Ms} / max ${fresh.maxMs} ms; the event's 200 alone p99 ${fresh.eventP99Ms} ms`);
    console.log(`load generator (this process) CPU ms/page: ${r1((clientUsed.user + clientUsed.system) / 100 / run.requests) / 10}`);
    console.log(`CPU ms/page by thread: ${[...byName].filter(([, t]) => t > 0).sort((a, b) => b[1] - a[1]).map(([n, t]) => `${n} ${Math.round((t * 10 * 1000) / run.requests) / 1000}`).join(' · ')}`);
    // collections per isolate (named by heap size order is left to the reader: the HTTP isolate is the first seen)
    // the main thread's isolate is allocated first, from the low heap; workers' in mmapped arenas (0x7f…)
    const label = (iso: string) => `${isolates.indexOf(iso)}${iso.startsWith('0x7f') ? '' : ' (HTTP)'}`;
    console.log('collections during the rated load, per isolate (workers\' heaps are the large ones):');
    for (const iso of isolates) {
      const mine = window.filter((g) => g.isolate === iso);
      if (mine.length === 0) continue;
      const kinds = new Map<string, Gc[]>();
      for (const g of mine) kinds.set(g.kind, [...(kinds.get(g.kind) ?? []), g]);
      const parts = [...kinds].map(([k, gs]) => `${k} ×${gs.length} (${gcPerK(gs.length)} per 1,000 pages) Σ${r1(gs.reduce((s, g) => s + g.pauseMs, 0))} ms max ${r1(Math.max(...gs.map((g) => g.pauseMs)))} ms (heap ${r1(gs.at(-1)!.fromMb)} → ${r1(gs.at(-1)!.toMb)} MB)`);
      const bytes = (k: 'allocated' | 'survived' | 'promoted') => mine.reduce((sum, g) => sum + (g[k] ?? 0), 0);
      const perPage = (b: number) => `${r1(b / run.requests / 1024)} KB`;
      const nvp = mine.some((g) => g.allocated !== undefined)
        ? ` — per page: allocated ${perPage(bytes('allocated'))}, survived a scavenge ${perPage(bytes('survived'))}, promoted ${perPage(bytes('promoted'))}` : '';
      console.log(`  isolate ${label(iso)} ${iso}: ${parts.join('; ')}${nvp}`);
    }
    // long stretches of one thread's CPU (task-trace), those reported during the rated load and the second after
    const mineT = stretches.filter((x) => x.at >= began && x.at <= began + Number(values.seconds) * 1000 + 1500);
    if (Number(values['task-ms']) > 0) {
      console.log(`stretches of ≥ ${values['task-ms']} ms of a thread's own CPU between marks (${mineT.length}; ${r1((mineT.length * 1000) / run.requests)} per 1,000 pages):`);
      const kinds = new Map<string, number[]>();
      for (const x of mineT) {
        const key = `${x.thread.replace(/ \d+$/, '')}: ${markKind(x.from)} → ${markKind(x.to)}`;
        kinds.set(key, [...(kinds.get(key) ?? []), x.cpuMs]);
      }
      for (const [k, ms] of [...kinds].sort((a, b) => b[1].length - a[1].length)) {
        console.log(`  ${k}: ×${ms.length}, CPU p50 ${r1(quantile(ms, 0.5))} / max ${r1(Math.max(...ms))} ms, Σ ${r1(ms.reduce((a, b) => a + b, 0))} ms`);
      }
      for (const x of [...mineT].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 10)) {
        console.log(`  longest: ${x.thread} ${x.cpuMs} ms CPU (${x.wallMs} ms wall) from "${x.from}" to "${x.to}", collections ${x.gc}`);
      }
      // blocking calls (store writes that may wait for SQLite's lock) of ≥ task-ms wall time
      const mineW = waits.filter((x) => x.at >= began && x.at <= began + Number(values.seconds) * 1000 + 1500);
      const wk = new Map<string, Array<{ wallMs: number; cpuMs: number; slept: number; preempted: number }>>();
      for (const x of mineW) {
        const key = `${x.thread === 'http' ? 'http' : 'worker thread'}: ${x.label.replace(/\d+/g, 'N')}`;
        wk.set(key, [...(wk.get(key) ?? []), x]);
      }
      console.log(`blocking calls of ≥ ${values['task-ms']} ms wall (${mineW.length}):`);
      for (const [k, xs] of [...wk].sort((a, b) => b[1].length - a[1].length)) {
        const walls = xs.map((x) => x.wallMs);
        console.log(`  ${k}: ×${xs.length}, wall p50 ${r1(quantile(walls, 0.5))} / max ${r1(Math.max(...walls))} ms, CPU in them Σ ${r1(xs.reduce((a, x) => a + x.cpuMs, 0))} ms; slept in ${xs.filter((x) => x.slept > 0).length} (Σ ${xs.reduce((a, x) => a + x.slept, 0)} sleeps), preempted in ${xs.filter((x) => x.preempted > 0).length}`);
      }
    }
    // stalls: slow requests grouped by due time (a gap of 50 ms ends a group)
    const slow = values.closed ? [] : answers.filter((a) => a.ms > slowMs).sort((a, b) => a.due - b.due);
    const groups: Array<typeof slow> = [];
    for (const a of slow) {
      const last = groups.at(-1);
      if (last && a.due - last.at(-1)!.due < 50) last.push(a);
      else groups.push([a]);
    }
    console.log(`stalls (requests over ${slowMs} ms, ${slow.length} of ${answers.length}, grouped by due time):`);
    for (const g of groups.sort((a, b) => b.length - a.length).slice(0, 12)) {
      const from = g[0].due, to = g.at(-1)!.due, worst = Math.max(...g.map((a) => a.ms));
      const owners = Array.from({ length: Math.max(1, workers) }, (_, w) => g.filter((a) => a.owner === w).length);
      const near = window.filter((x) => x.at >= from - 20 && x.at <= to + worst + 20 && (x.pauseMs >= 5 || !x.kind.startsWith('Scavenge')));
      console.log(`  due ${r1(from / 1000)}–${r1(to / 1000)} s: ${g.length} slow (by owner ${owners.join(' / ')}), worst ${r1(worst)} ms; collections ending meanwhile: ${near.map((x) => `${label(x.isolate)}:${x.kind} ${x.pauseMs} ms`).join(', ') || 'none ≥ 5 ms'}`);
    }
  } finally {
    await server.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
