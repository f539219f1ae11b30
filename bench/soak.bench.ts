/**
 * `npm run bench:soak`: the server under mixed traffic for a long time (issue 20). Steps: world
 * (cached, serve-world.ts, restored to its built state) → the real server as a child process →
 * warm-up: one page for every member → capacity, measured as the soak loads: a short closed-loop estimate,
 * the mix at half of it until the server's CPU per request stops rising (settle.ts), then open-loop steps
 * of the mix (capacity-search.ts), `--capacity-seconds` each, from that rate to the highest rate answered
 * in full with p99 ≤ `--capacity-p99-ms` → the soak: `--minutes` one-minute open-loop runs of the same
 * mix at `--load` × capacity, with RSS, store size, cache hit rates and the server's and the load
 * generator's CPU shares read after each → bench/results/soak.{json,md}.
 *   node --import tsx bench/soak.bench.ts [--minutes 10] [--load 0.7 | --rate N] [--capacity-seconds 20]
 *     [--capacity-p99-ms 250] [--capacity-start N] [--capacity-max-steps 12] [--closed-loop-seconds 10] [--settle-seconds 300]
 *     [--users 50000 --items 5000 --days 60 --seed 11] [--connections 50] [--zipf 1] [--page-workers 2]
 *     [--events-per-batch 10] [--min-batch-interval-ms 60000] [--item-impressions] [--skip-warmup]
 *     [--prefill-pages N] [--cpu-prof DIR] [--trace-gc] [--note TEXT]
 * The mix (soak-mix.ts): pages for members of the whole population (Zipf), event batches
 * (rent/return/heart/view), member reads, availability changes and item updates.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { GcTally } from './gc-trace.ts';
import { startServer } from '../test/helpers/server-process.ts';
import { quantile } from './ingest-http-load.ts';
import { runRatedStep } from './rated-step.ts';
import { runLoad } from './serve-load.ts';
import { ensureServeWorld, restoreServeStore } from './serve-world.ts';
import { cacheHitRate, cacheLookups, metricValue, rssMB, waitIdle } from './server-probes.ts';
import { measureSoakCapacity, shares } from './soak-capacity.ts';
import { SOAK_SHARES, soakMix, type SoakItem } from './soak-mix.ts';
import { neighbourNote, type SoakMinute, type SoakResult, STABILITY_RULE, writeSoakResults } from './soak-report.ts';
import { storeFileSizes, storeGrowth, storeSnapshot } from './soak-store.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' }, load: { type: 'string', default: '0.7' },
    // a fixed offered rate instead of --load × capacity: on a shared machine a capacity measured in a
    // quiet 20 s can exceed what the server gets later, and the open-loop queue then says so
    rate: { type: 'string' },
    // one step of the capacity search (open loop, the soak's mix), seconds
    'capacity-seconds': { type: 'string', default: '20' },
    // a step holds when p99 ≤ this and ≥ 95% of the offered rate was answered: a page within a quarter
    // second at p99 while the queue stays bounded; above capacity an open-loop queue grows without bound
    // and p99 passes any such bound within a step
    'capacity-p99-ms': { type: 'string', default: '250' },
    // the first rate offered (default: half the closed-loop estimate); steps ×1.2 until one fails, then bisection to 5%
    'capacity-start': { type: 'string' },
    'capacity-max-steps': { type: 'string', default: '12' },
    // before the steps, the mix at the search's start rate until the server's CPU per request stops rising
    // (bench/settle.ts), at most this long: right after the warm-up a request costs less than minutes into
    // the mix, and a capacity measured then overstates what the soak meets (RELIABILITY.md). 0: no settling
    'settle-seconds': { type: 'string', default: '300' },
    // the closed-loop saturation run: what capacity used to be, kept for comparison and as the search's start
    'closed-loop-seconds': { type: 'string', default: '10' },
    users: { type: 'string', default: '50000' }, items: { type: 'string', default: '5000' },
    days: { type: 'string', default: '60' }, seed: { type: 'string', default: '11' },
    connections: { type: 'string', default: '50' }, zipf: { type: 'string', default: '1' },
    'events-per-batch': { type: 'string', default: '10' },
    // a member's event batches at least this far apart: sessions at a human pace (soak-mix.ts)
    'min-batch-interval-ms': { type: 'string', default: '60000' },
    // ADR 0010: 2 page workers on a 2-core server, as bench:serve runs
    'page-workers': { type: 'string', default: '2' },
    // per-item impression events: 160 event rows per page, beyond the store's ingest rate (as bench:serve)
    'item-impressions': { type: 'boolean', default: false },
    // the warm-up asks for one page per member first (a minute or two); skip it for quick runs
    'skip-warmup': { type: 'boolean', default: false },
    // page records written into the store before the server starts: the store as hours of pages leave
    // it, so that a short run can compare the cost per request on a small and a grown page log
    'prefill-pages': { type: 'string', default: '0' },
    // the server's CPU profiles (every thread) into this directory, written when it stops
    'cpu-prof': { type: 'string' },
    // the server runs with --trace-gc: each step's and minute's GC pauses by isolate in the results
    'trace-gc': { type: 'boolean', default: false },
    note: { type: 'string' },
  },
});
const minutes = Number(values.minutes);
// bounded: an hour at most, a whole number of one-minute runs
if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) throw new Error('--minutes must be a whole number from 1 to 60');
const loadShare = Number(values.load);
if (!(loadShare > 0 && loadShare <= 1)) throw new Error('--load must be in (0, 1]');
const connections = Number(values.connections), capacitySeconds = Number(values['capacity-seconds']);
const closedLoopSeconds = Number(values['closed-loop-seconds']), settleSeconds = Number(values['settle-seconds']);
if (!(settleSeconds >= 0 && settleSeconds <= 1800)) throw new Error('--settle-seconds must be from 0 to 1800');
const capacitySearch = { p99BoundMs: Number(values['capacity-p99-ms']), minAchievedShare: 0.95, growth: 1.2, precision: 0.05, maxSteps: Number(values['capacity-max-steps']) };
if (!(capacitySeconds >= 5 && capacitySeconds <= 120)) throw new Error('--capacity-seconds must be from 5 to 120');
if (!(closedLoopSeconds > 0) && !values['capacity-start']) throw new Error('--closed-loop-seconds 0 needs --capacity-start');
// trained as shipped (the gate's champion, the hybrid, fills for-you): what a long run of a default server meets
const world = { users: Number(values.users), items: Number(values.items), days: Number(values.days), seed: Number(values.seed), impressions: 1, trainDefault: true };
const load1 = () => loadavg().map((x) => Math.round(x * 100) / 100);
const loadBefore = load1();

console.log('world…');
const built = ensureServeWorld(world);
restoreServeStore(built.dataDir);
const { members, items } = await population(built.dataDir);
const runId = `soak${Date.now().toString(36)}`;
const mix = soakMix({ members, items, zipf: Number(values.zipf), eventsPerBatch: Number(values['events-per-batch']), seed: world.seed, runId,
  minBatchIntervalMs: Number(values['min-batch-interval-ms']) });
console.log(`${members.length} members, ${items.length} items`);

await writeFile(join(built.dataDir, 'vitrine.toml'), `# written by bench/soak.bench.ts\n[serving]\nimpressionItemEvents = ${values['item-impressions'] ? 'true' : 'false'}\npageWorkers = ${Number(values['page-workers'])}\n`);
const prefillPages = Number(values['prefill-pages']);
if (prefillPages > 0) console.log(`prefill: ${prefillPages} page records (${await prefillPageRecords(built.dataDir, prefillPages, members, items)} s)`);
const nodeArgs = [...(values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : []), ...(values['trace-gc'] ? ['--trace-gc'] : [])];
const server = await startServer({ dataDir: built.dataDir, startTimeoutMs: 120_000, nodeArgs });
const gc = values['trace-gc'] ? new GcTally() : undefined;
if (gc) createInterface({ input: server.child.stdout! }).on('line', (line) => gc.line(line));
const pid = server.child.pid;
const failures = new Map<string, number>();
const onNon2xx = (spec: { method: string; path: string }, status: number, body: string) => {
  const code = /"code":"(\w+)"/.exec(body)?.[1] ?? 'no code';
  const key = `${spec.method} ${spec.path.replace(/\/v1\/(users|items)\/[^/?]+/, '/v1/$1/:id').replace(/\?.*/, '')} → ${status} ${code}`;
  if (!failures.has(key)) console.log(`  first ${key}: ${body.slice(0, 300)}`);
  failures.set(key, (failures.get(key) ?? 0) + 1);
};
let result: SoakResult;
try {
  console.log(`server at ${server.url}; waiting for its start-up work (${await waitIdle(pid)} s)…`);
  const rssStart = await rssMB(pid);
  // every member's first page before anything is measured: the soak then sees the population's state
  // held, not its growth while members are first seen (that is bench:serve-memory's question)
  let warmup: { seconds: number; pages: number } | undefined;
  if (!values['skip-warmup']) {
    console.log(`warm-up: one page for each of the ${members.length} members (closed loop)…`);
    const paths = members.map((id) => `/v1/users/${encodeURIComponent(id)}/page?rows=8&size=20`);
    const warm = await runLoad({ baseUrl: server.url, paths, connections, amount: paths.length });
    if (warm.non2xx > 0 || warm.errors > 0) throw new Error(`warm-up: ${warm.non2xx} non-2xx, ${warm.errors} errors`);
    warmup = { seconds: warm.seconds, pages: warm.requests };
    console.log(`  ${warm.requests} pages in ${warm.seconds} s; ${await metricValue(server.url, 'vitrine_online_members')} members held`);
  }
  const capacity = await measureSoakCapacity({
    baseUrl: server.url, pid, next: mix.next, connections, closedLoopSeconds, stepSeconds: capacitySeconds, search: capacitySearch, ...(gc ? { gc } : {}),
    settleSeconds,
    ...(values['capacity-start'] ? { startRate: Number(values['capacity-start']) } : {}),
  });
  const rate = values.rate ? Number(values.rate) : Math.max(1, Math.round(capacity.perSecond * loadShare));
  const at = capacity.atCapacity;
  console.log(`  capacity ${capacity.perSecond}/s${capacity.converged ? '' : ' (not converged: the steps ran out)'}: CPU ${shares(at)} of the cores there; soaking at ${rate}/s${neighbourNote(capacity).replace(/\*\*/g, '')}`);
  console.log(`  stable means: ${STABILITY_RULE}`);
  const storeAtStart = storeSnapshot(built.dataDir);
  const soakStart = { rssMB: await rssMB(pid), madeBefore: { ...mix.made }, eventsBefore: mix.events() };
  const minuteResults: SoakMinute[] = [];
  for (let m = 1; m <= minutes; m++) {
    const before = await cacheLookups(server.url);
    gc?.take();
    const byKind = new Map<string, number[]>();
    const onAnswer = (spec: { kind?: string }, ms: number) => {
      const kind = spec.kind ?? '?';
      if (!byKind.has(kind)) byKind.set(kind, []);
      byKind.get(kind)!.push(ms);
    };
    const run = await runRatedStep({ baseUrl: server.url, pid, paths: [], next: mix.next, connections, rate, seconds: 60, onNon2xx, onAnswer });
    const { cpuMsPerRequest } = run;
    const after = await cacheLookups(server.url);
    const hitRate = (cache: 'page' | 'row') => cacheHitRate(before, after, cache);
    const snapshot = storeSnapshotSizes(built.dataDir);
    const minute: SoakMinute = {
      minute: m, requests: run.requests, perSecond: run.perSecond, latencyMs: run.latencyMs, non2xx: run.non2xx, errors: run.errors,
      maxBacklog: run.maxBacklog, cpuMsPerRequest, serverCpuShare: run.serverCpuShare, generatorCpuShare: run.generatorCpuShare, othersCpuShare: run.othersCpuShare,
      clientLoopDelayP99Ms: run.clientLoopDelayMs.p99, rssMB: await rssMB(pid), onlineMembers: await metricValue(server.url, 'vitrine_online_members'),
      onlineListMB: await heapMB('vitrine_online_list_bytes'),
      // what the collectors hold, as bench:serve-memory reads it: the HTTP thread's heap and the page workers'
      heapMB: { http: await heapMB('vitrine_nodejs_heap_size_total_bytes'), workers: await heapMB('vitrine_page_worker_heap_total_bytes') },
      storeMB: snapshot, pageHitRate: hitRate('page'), rowHitRate: hitRate('row'),
      loadAverage: load1()[0],
      p99ByKindMs: Object.fromEntries([...byKind].map(([kind, ms]) => [kind, p99(ms)])),
      threadCpuMsPerRequest: run.threadCpuMsPerRequest, ...(gc ? { gc: gc.take() } : {}),
    };
    minuteResults.push(minute);
    console.log(`  minute ${m}: ${run.perSecond}/s, p50 ${run.latencyMs.p50} / p99 ${run.latencyMs.p99} ms, ${run.non2xx} non-2xx, `
      + `${run.errors} errors, p99 by kind ${JSON.stringify(minute.p99ByKindMs)}, server CPU ${cpuMsPerRequest} ms a request (${shares(run)} of the cores), RSS ${minute.rssMB} MB (heaps ${minute.heapMB.http} + ${minute.heapMB.workers} MB, ${minute.onlineMembers} members held), store ${snapshot.file} + ${snapshot.wal} MB WAL, page cache hits ${minute.pageHitRate}`);
  }
  const storeAtEnd = storeSnapshot(built.dataDir);
  const made = Object.fromEntries(Object.entries(mix.made).map(([k, n]) => [k, n - soakStart.madeBefore[k as keyof typeof SOAK_SHARES]]));
  result = {
    benchmark: 'soak', date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, memoryGB: Math.round(totalmem() / 1e8) / 10 },
    loadAverage: { before: loadBefore, after: load1() },
    command: `npm run bench:soak -- --minutes ${minutes} --load ${loadShare} --capacity-seconds ${capacitySeconds} --capacity-p99-ms ${capacitySearch.p99BoundMs} --closed-loop-seconds ${closedLoopSeconds}${values['capacity-start'] ? ` --capacity-start ${values['capacity-start']}` : ''} --capacity-max-steps ${capacitySearch.maxSteps} --settle-seconds ${settleSeconds} --users ${world.users} --items ${world.items} --days ${world.days} --seed ${world.seed} --connections ${connections} --zipf ${values.zipf} --events-per-batch ${values['events-per-batch']} --min-batch-interval-ms ${values['min-batch-interval-ms']} --page-workers ${values['page-workers']}${values['item-impressions'] ? ' --item-impressions' : ''}${values['skip-warmup'] ? ' --skip-warmup' : ''}${prefillPages > 0 ? ` --prefill-pages ${prefillPages}` : ''}${values['trace-gc'] ? ' --trace-gc' : ''}${values.rate ? ` --rate ${values.rate}` : ''}`,
    ...(values.note ? { note: values.note } : {}),
    world: { ...world, members: members.length, catalogued: items.length, cached: built.cached },
    setup: { connections, pageWorkers: Number(values['page-workers']), itemImpressionEvents: values['item-impressions'] ?? false, zipf: Number(values.zipf),
      eventsPerBatch: Number(values['events-per-batch']), minBatchIntervalMs: Number(values['min-batch-interval-ms']), shares: SOAK_SHARES },
    ...(warmup ? { warmup } : {}),
    capacity,
    rate, loadShare, minutes: minuteResults, made, eventsSent: mix.events() - soakStart.eventsBefore,
    failures: Object.fromEntries(failures),
    rssMB: { start: rssStart, soakStart: soakStart.rssMB, afterWarmup: minuteResults[0].rssMB, end: minuteResults.at(-1)!.rssMB, peak: await rssMB(pid, 'VmHWM') },
    store: { start: storeAtStart, end: storeAtEnd, growth: storeGrowth(storeAtStart, storeAtEnd) },
  };
} finally {
  await server.stop();
}
console.log(writeSoakResults(result));

/** The world's members and catalogued items, read from its store before the server opens it. */
async function population(dataDir: string): Promise<{ members: string[]; items: SoakItem[] }> {
  const store = new SqliteStore(join(dataDir, 'vitrine.db'));
  try {
    const members: string[] = [];
    for (let page = await store.listUsers({ limit: 10_000 }); page.length > 0; page = await store.listUsers({ afterId: page.at(-1)!.id, limit: 10_000 })) {
      for (const u of page) members.push(u.id);
    }
    const items: SoakItem[] = [];
    for (let page = await store.listItems({ limit: 10_000 }); page.length > 0; page = await store.listItems({ afterId: page.at(-1)!.id, limit: 10_000 })) {
      for (const { id, placeholder, retired, createdAt: _created, updatedAt: _updated, ...input } of page) {
        if (!placeholder && !retired) items.push({ id, input });
      }
    }
    return { members, items };
  } finally {
    await store.close();
  }
}

/** Writes `n` pages of 8 rows × 20 items for members of the world, dated over the last week; seconds taken. */
async function prefillPageRecords(dataDir: string, n: number, members: readonly string[], items: readonly SoakItem[]): Promise<number> {
  const started = performance.now();
  const store = new SqliteStore(join(dataDir, 'vitrine.db'));
  let seed = 7;
  const pick = (k: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % k;
  const now = Date.now(), week = 7 * 86_400_000;
  try {
    for (let done = 0; done < n;) {
      const pages = [];
      for (let i = 0; i < 1000 && done < n; i++, done++) {
        const ts = now - week + Math.floor((done / n) * week);
        const rows = Array.from({ length: 8 }, (_, r) => ({ rowId: `prefill-${r}`, kind: 'prefill', items: Array.from({ length: 20 }, () => items[pick(items.length)].id) }));
        pages.push({ record: { pageId: `pg-prefill-${done}`, userId: members[pick(members.length)], ts, rows }, events: [] });
      }
      await store.putImpressionsWithEvents(pages);
    }
  } finally {
    await store.close();
  }
  return Math.round((performance.now() - started) / 100) / 10;
}

/** A byte gauge of the server's /metrics, MB. */
async function heapMB(name: string): Promise<number> {
  return Math.round((await metricValue(server.url, name)) / 2 ** 20);
}

/** The store file and its WAL, MB. */
function storeSnapshotSizes(dataDir: string): { file: number; wal: number } {
  const { fileBytes, walBytes } = storeFileSizes(dataDir);
  return { file: Math.round(fileBytes / 1e5) / 10, wal: Math.round(walBytes / 1e5) / 10 };
}

/** The 99th percentile of `ms`, rounded to 0.1 ms. */
function p99(ms: number[]): number {
  const sorted = Float64Array.from(ms).sort();
  return Math.round(quantile(sorted, 0.99) * 10) / 10;
}
