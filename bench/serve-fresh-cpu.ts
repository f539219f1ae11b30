/**
 * Server CPU per page composed afresh, whole process and by thread (issue 22): the real `vitrine serve`
 * as a child process on a copy of bench:serve's world with `serving.rowCacheMembers = 0` (no page or
 * row cache), pages offered open-loop at a fixed rate well below saturation (so the machine's load
 * matters less than at saturation), each for a member of the whole population:
 * - `first`: a member's first page since start (their state is read from the store: hydration);
 * - `again`: the same members once more, in the same order (state in memory: composition only).
 * CPU is read from /proc before and after each phase: the process (user + sys, every thread) and each
 * thread by its name (the HTTP thread is tid = pid; page workers, the page log and the checkpointer
 * name themselves; "node" is the rest: V8's collector helpers, libuv, tsx's loader). Rounds alternate the page-worker counts, so both see the same load.
 *   node --import tsx bench/serve-fresh-cpu.ts [--workers 2,0] [--rounds 1] [--rate 150] [--pages 3000]
 *     [--closed 50] [--data DIR] [--profile DIR] [--node-flags "--max-semi-space-size=32"] [--serving 'heapGrowthPercent = 0']…
 * --profile: `--cpu-prof` for every thread of the server, written to DIR when it stops.
 * The copy of the store goes to a temporary directory (never the cached world's, ready.json's).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../test/helpers/server-process.ts';
import { runLoad } from './serve-load.ts';
import { runRatedLoad } from './serve-rated.ts';
import { cacheLookups, threadTicks, waitIdle } from './server-probes.ts';
import { SERVE_WORLD_CACHE, storeMembersShuffled } from './serve-world.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: join(SERVE_WORLD_CACHE, 'u200000-i20000-d90-s11-imp1', 'data') },
    workers: { type: 'string', default: '2,0' },
    rounds: { type: 'string', default: '1' },
    rate: { type: 'string', default: '150' },
    pages: { type: 'string', default: '3000' },
    connections: { type: 'string', default: '20' },
    // closed loop at saturation on this many connections instead of the open-loop rate (what bench:serve's fresh-page run does)
    closed: { type: 'string' },
    seed: { type: 'string', default: '7' },
    profile: { type: 'string' },
    'node-flags': { type: 'string', default: '' },
    'serve-flags': { type: 'string', default: '' },
    // more [serving] settings for the run's vitrine.toml, e.g. --serving 'heapGrowthPercent = 0'
    serving: { type: 'string', multiple: true, default: [] },
  },
});
const QUERY = 'rows=8&size=20';
const rate = Number(values.rate), pages = Number(values.pages);
const load1 = () => loadavg().map((x) => Math.round(x * 100) / 100);

/** Process CPU ticks (every thread, ended ones included). */
function processTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}


interface Phase {
  name: string; pages: number; msPerPage: number; byThread: Map<string, number[]>; p50: number; p99: number; non2xx: number;
  /** rows served from a fallback, per page (a late or failing row costs more than its share) */
  fallbacksPerPage: number;
}

/** The sum over labels of a counter of the server's /metrics. */
async function metricSum(url: string, name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) sum += Number(m[1]);
  return sum;
}

/** Offers `ids`' pages at `rate` and reads the server's CPU per page around it. */
async function phase(name: string, url: string, pid: number, ids: readonly string[]): Promise<Phase> {
  let k = 0;
  const next = () => ({ method: 'GET' as const, path: `/v1/users/${encodeURIComponent(ids[k++ % ids.length])}/page?${QUERY}` });
  const fallbacksBefore = await metricSum(url, 'vitrine_fallbacks_total');
  const before = threadTicks(pid), procBefore = processTicks(pid);
  const run = values.closed
    ? await runLoad({ baseUrl: url, paths: [], next, connections: Number(values.closed), amount: ids.length })
    : await runRatedLoad({ baseUrl: url, paths: [], next, connections: Number(values.connections), rate, seconds: ids.length / rate });
  const after = threadTicks(pid), procAfter = processTicks(pid);
  const fallbacks = (await metricSum(url, 'vitrine_fallbacks_total')) - fallbacksBefore;
  const perPage = (ticks: number) => Math.round((ticks * 10 / run.requests) * 1000) / 1000;
  // by name: page workers one by one, the rest ("node": V8's collector helpers, libuv, tsx's loader) summed
  const byThread = new Map<string, number[]>();
  for (const [tid, t] of after) {
    const d = t.ticks - (before.get(tid)?.ticks ?? 0);
    byThread.set(t.name, [...(byThread.get(t.name) ?? []), d]);
  }
  for (const [name, ticks] of byThread) byThread.set(name, ticks.sort((a, b) => b - a).map(perPage));
  return {
    name, pages: run.requests, msPerPage: perPage(procAfter - procBefore), byThread,
    p50: run.latencyMs.p50, p99: run.latencyMs.p99, non2xx: run.non2xx + run.errors, fallbacksPerPage: Math.round((fallbacks / run.requests) * 100) / 100,
  };
}

/** "http 0.5 · page-worker 1.2 + 1.1 · node 0.4 (9)": CPU ms per page by thread name. */
function threadSplit(byThread: Map<string, number[]>): string {
  const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 1000) / 1000;
  return [...byThread].filter(([, xs]) => sum(xs) > 0).sort((a, b) => sum(b[1]) - sum(a[1]))
    .map(([name, xs]) => (name === 'page-worker' ? `${name} ${xs.filter((x) => x > 0).join(' + ')}` : `${name} ${sum(xs)}${xs.length > 1 ? ` (${xs.length})` : ''}`))
    .join(' · ');
}

async function measure(workers: number, ids: readonly string[], round: number): Promise<Phase[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-fresh-cpu-'));
  try {
    // the store as built (no page records of earlier runs); the models are only read
    const pristine = join(values.data, '..', 'pristine.db');
    copyFileSync(pristine, join(dir, 'vitrine.db'));
    symlinkSync(join(values.data, 'models'), join(dir, 'models'));
    writeFileSync(join(dir, 'vitrine.toml'),
      `# written by bench/serve-fresh-cpu.ts\n[serving]\nimpressionItemEvents = false\nrowCacheMembers = 0\npageWorkers = ${workers}\n${values.serving.map((line) => `${line}\n`).join('')}`);
    const nodeArgs = [...values['node-flags'].split(' ').filter(Boolean),
      ...(values.profile ? ['--cpu-prof', '--cpu-prof-dir', join(values.profile, `w${workers}-r${round}`)] : [])];
    const server = await startServer({ dataDir: dir, startTimeoutMs: 600_000, nodeArgs, serveArgs: values['serve-flags'].split(' ').filter(Boolean) });
    const pid = server.child.pid!;
    try {
      await waitIdle(pid);
      // warm-up on members outside the measured ones: code optimised, caches of the catalogue filled
      await phase('warm-up', server.url, pid, ids.slice(pages * 2, pages * 2 + Math.min(pages, rate * 10)));
      const lookups = await cacheLookups(server.url);
      const measured = ids.slice(0, pages);
      const first = await phase('first', server.url, pid, measured);
      const again = await phase('again', server.url, pid, measured);
      const after = await cacheLookups(server.url);
      if (after['page:hit'] > lookups['page:hit'] || after['row:hit'] > lookups['row:hit']) throw new Error('a cache hit: not a fresh page');
      return [first, again];
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ids = storeMembersShuffled(join(values.data, 'vitrine.db'), Number(values.seed));
const counts = values.workers.split(',').map(Number);
console.log(`# serve-fresh-cpu ${new Date().toISOString()} load ${load1().join(' ')}; ${values.closed ? `closed loop on ${values.closed} connections (saturation)` : `${rate} pages/s offered`}, ${pages} members a phase, of ${ids.length}`);
console.log('| workers | round | phase | pages | server CPU ms/page | by thread (ms/page) | p50 / p99 ms | fallback rows a page | non-2xx | load |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const workers of counts) {
    for (const p of await measure(workers, ids, round)) {
      console.log(`| ${workers} | ${round} | ${p.name} | ${p.pages} | **${p.msPerPage}** | ${threadSplit(p.byThread)} | ${p.p50} / ${p.p99} | ${p.fallbacksPerPage} | ${p.non2xx} | ${load1()[0]} |`);
    }
  }
}
