/**
 * The serving benchmark's results: bench/results/serve.json (the latest run of each scenario in full,
 * and one row per run ever made) and serve.md (both scenarios' latest figures, then the history).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { FreshnessResult } from './serve-freshness.ts';
import type { LoadResult } from './serve-load.ts';
import type { RatedLoadResult } from './serve-rated.ts';

export type ServeScenario = 'traffic' | 'hot-pool';

export interface ServeResult {
  benchmark: 'serve';
  /** absent in runs before issue 22: those were all the hot pool */
  scenario?: ServeScenario;
  date: string;
  machine: { cpus: number; cpu?: string; node: string; memoryGB: number };
  loadAverage: { before: number[]; after: number[] };
  command: string;
  world: { users: number; items: number; days: number; seed: number; impressions: number; cached: boolean; buildSeconds: Record<string, number>;
    trainedMembers: number; trainedItems: number };
  setup: { connections: number; durationSeconds: number; pool: number; rows: number; size: number; serverProcesses: number; pageWorkers?: number; heapGrowthPercent?: number; nodeFlags?: string[]; itemImpressionEvents: boolean };
  page: LoadResult;
  bare: LoadResult;
  ratioToBare: number;
  pageBytes: number;
  /** freshness beside the closed-loop load at saturation (reference) */
  freshness: FreshnessResult;
  /** open-loop load at the target rate (ADR 0008): the latency targets */
  rated?: RatedLoadResult;
  freshnessAtRate?: FreshnessResult;
  ann: { lists: number; probes: number; recallAt20: number; calibrationRecall: number; queries: number; scannedFraction: number;
    buildMs: number; exactMsPerQuery: number; annMsPerQuery: number };
  serverRssMB: { afterWarm: number; peak: number; startPeak?: number };
  serverCpuMsPerPage: { page: number; bare: number };
  /** the per-member caches during the page load (ADR 0007): share of lookups that hit */
  caches?: { pageHitRate: number; rowHitRate: number; rowCacheMembers: number; pageHitRateAtRate?: number; rowHitRateAtRate?: number };
  /** the traffic scenario's model (serve-traffic.ts) and what the measured loads asked for */
  traffic?: { population: number; zipf: number; sessionPages: number; thinkSeconds: number; pagesAsked: number; sessions: number; distinctMembers: number };
  /** the traffic scenario's fresh-page run: a server with serving.rowCacheMembers = 0, at saturation */
  fresh?: { cpuMsPerPage: number; perSecond: number; requests: number; seconds: number; latencyMs: LoadResult['latencyMs']; non2xx: number; errors: number };
  targets: Record<string, { value: number; target: string; met: boolean }>;
}

/** serve.json: the latest run of each scenario, and every run's row. */
export interface ServeResults {
  latest: Partial<Record<ServeScenario, ServeResult>>;
  history: Array<Record<string, unknown>>;
}

const OUT = new URL('./results/', import.meta.url);

/** Writes serve.json and serve.md, carrying the other scenario and the history forward; returns the markdown. */
export function writeServeResults(result: ServeResult): string {
  mkdirSync(OUT, { recursive: true });
  const jsonFile = new URL('serve.json', OUT);
  const results = existsSync(jsonFile) ? readResults(JSON.parse(readFileSync(jsonFile, 'utf8')) as ServeResults | (ServeResult & { history?: ServeResults['history'] }))
    : { latest: {}, history: [] };
  const scenario = result.scenario ?? 'hot-pool';
  const row = {
    date: result.date, scenario, loadAverage: result.loadAverage.before[0], pagesPerSecond: result.page.perSecond,
    p50: result.page.latencyMs.p50, p99: result.page.latencyMs.p99, bare: result.bare.perSecond, ratio: result.ratioToBare,
    freshnessP99: result.freshness.p99Ms, recall: result.ann.recallAt20, serverProcesses: result.setup.serverProcesses, pageWorkers: result.setup.pageWorkers ?? 0,
    cpuMsPerPage: result.serverCpuMsPerPage.page, pageCacheHitRate: result.caches?.pageHitRate, rowCacheHitRate: result.caches?.rowHitRate,
    freshCpuMsPerPage: result.fresh?.cpuMsPerPage,
    offered: result.rated?.offeredPerSecond, ratedP99: result.rated?.latencyMs.p99, ratedFreshnessP99: result.freshnessAtRate?.p99Ms,
    ...(result.setup.heapGrowthPercent === undefined ? {} : { note: `serving.heapGrowthPercent = ${result.setup.heapGrowthPercent}` }),
  };
  const next: ServeResults = { latest: { ...results.latest, [scenario]: result }, history: [...results.history, row] };
  writeFileSync(jsonFile, `${JSON.stringify(next, null, 2)}\n`);
  const md = resultsMarkdown(next);
  writeFileSync(new URL('serve.md', OUT), md);
  return md;
}

/** serve.json as written now, or as written before issue 22 (one hot-pool result carrying the history). */
export function readResults(json: ServeResults | (ServeResult & { history?: ServeResults['history'] })): ServeResults {
  if ('latest' in json) return json;
  const { history = [], ...result } = json;
  return { latest: { 'hot-pool': { ...result, scenario: 'hot-pool' } }, history: history.map((h) => ({ scenario: 'hot-pool', ...h })) };
}

const SCENARIO_TITLES: Record<ServeScenario, string> = {
  traffic: 'Traffic (the default): the whole population, Zipf popularity, sessions of a few pages, default caches',
  'hot-pool': 'Hot pool (`--scenario hot-pool`): 5,000 members asked over and over, row cache raised to 20,000 members',
};

/** serve.md: each scenario's latest run, then every run. */
export function resultsMarkdown(results: ServeResults): string {
  const scenarios = (['traffic', 'hot-pool'] as const).filter((s) => results.latest[s]);
  return `# Serving benchmark — pages of 8 rows × 20 items

\`npm run bench:serve\` runs the traffic scenario; \`npm run bench:serve -- --scenario hot-pool\` the hot pool. Each
section below is the latest run of its scenario; the history table keeps every run. Throughput is measured at saturation
(closed loop), latency at the target rate (open loop, each request timed from when it fell due), see
[ADR 0008](../../docs/decisions/0008-latency-at-the-target-rate.md). Where the CPU per page goes:
[docs/operations.md § Retrieval at catalogue scale and serving throughput](../../docs/operations.md).

${scenarios.map((s) => `## ${SCENARIO_TITLES[s]}\n\n${markdown(results.latest[s]!)}`).join('\n')}
## History

Columns p50 / p99 / freshness p99 are at saturation (closed loop); "at rate" columns are the open-loop run (ADR 0008);
"fresh CPU" is the traffic scenario's server with no page or row cache. Rows before 2026-12-07 are all the hot pool.

| date | scenario | load avg | server processes | page workers | pages/s | p50 | p99 | server CPU ms/page | fresh CPU ms/page | bare/s | ratio | freshness p99 | recall@20 | page (row) cache hits | offered/s | p99 at rate | freshness p99 at rate | note |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${results.history.map((h) => `| ${String(h.date)} | ${String(h.scenario ?? 'hot-pool')} | ${String(h.loadAverage)} | ${String(h.serverProcesses)} | ${String(h.pageWorkers ?? 0)} | ${String(h.pagesPerSecond)} | ${String(h.p50)} | ${String(h.p99)} | ${String(h.cpuMsPerPage ?? '—')} | ${String(h.freshCpuMsPerPage ?? '—')} | ${String(h.bare)} | ${String(h.ratio)} | ${String(h.freshnessP99)} | ${String(h.recall)} | ${String(h.pageCacheHitRate ?? '—')}${h.rowCacheHitRate === undefined ? '' : ` (${String(h.rowCacheHitRate)})`} | ${String(h.offered ?? '—')} | ${String(h.ratedP99 ?? '—')} | ${String(h.ratedFreshnessP99 ?? '—')} | ${String(h.note ?? '')} |`).join('\n')}
`;
}

/** One scenario's latest run as a serve.md section body. */
export function markdown(r: ServeResult): string {
  const t = r.targets;
  const mark = (k: string) => (t[k] ? `${t[k].value} | ${t[k].target} | ${t[k].met ? 'met' : '**not met**'}` : '— | — | not measured');
  const fresh = (f: FreshnessResult) => `${f.trials} trials (10 loops, ${f.trialsPerSecond ? `${f.trialsPerSecond} started a second` : 'back to back'}), ${f.stale} stale pages, event sent → reflecting page p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, max ${f.maxMs} ms (the event's 200 alone: p99 ${f.eventP99Ms} ms)`;
  const lat = (l: Pick<LoadResult, 'latencyMs'>) => `${l.latencyMs.p50} / ${l.latencyMs.p90} / ${l.latencyMs.p99} ms`;
  const tr = r.traffic;
  const who = tr
    ? `members drawn from all ${tr.population.toLocaleString('en')} of the world's members (trained or not) with Zipf popularity (exponent ${tr.zipf}, ranks a seeded shuffle),
in sessions of 1 + Geometric pages (mean ${tr.sessionPages}) an exponential ${tr.thinkSeconds} s apart on average, sessions starting as a Poisson
process at the nominal rate / ${tr.sessionPages} (the model: [bench/serve-traffic.ts](../serve-traffic.ts); at saturation think times shrink in
proportion). The measured loads asked ${tr.pagesAsked.toLocaleString('en')} pages of ${tr.distinctMembers.toLocaleString('en')} distinct members (warm-up included in the count of members). A warm-up of one live TTL at saturation on the same stream comes first`
    : `over ${r.setup.pool.toLocaleString('en')} known members (brought into use evenly over one live TTL first, so their cached pages are of every age)`;
  return `${r.date} · ${r.machine.cpus} cores (${r.machine.cpu ?? '?'}) · ${r.machine.memoryGB} GB · Node ${r.machine.node} ·
load average before ${r.loadAverage.before.join(' / ')}, after ${r.loadAverage.after.join(' / ')} (the machine is shared).
Command: \`${r.command}\`

World: ${r.world.users.toLocaleString('en')} members × ${r.world.items.toLocaleString('en')} items, ${r.world.days} days
(seed ${r.world.seed}, ${r.world.impressions} impression per visit) generated, imported into SQLite and trained with the default
algorithms${r.world.cached ? ' (cached from an earlier run)' : ''}: ALS knows ${r.world.trainedMembers.toLocaleString('en')} members
and ${r.world.trainedItems.toLocaleString('en')} items. The real server (\`vitrine serve\`, ${r.setup.serverProcesses} process, ${r.setup.pageWorkers ?? 0} page worker thread(s)) runs as a
child process; ${r.setup.connections} keep-alive connections ask \`GET /v1/users/:id/page?rows=${r.setup.rows}&size=${r.setup.size}\`
${who}; each load runs ${r.setup.durationSeconds} s; then the same load
against a bare Fastify route returning a precomputed page of the same size (${(r.pageBytes / 1024).toFixed(1)} KB). Every page is
logged after its response (impression record${r.setup.itemImpressionEvents ? ' and one impression event per item' : ' only: `serving.impressionItemEvents = false`'}).

| measure | value | target | |
|---|---|---|---|
| page p99 latency at ${r.rated ? `${r.rated.offeredPerSecond.toLocaleString('en')} pages/s offered` : 'saturation'} (open loop, ${r.setup.connections} connections), ms | ${mark('p99')} |
| pages/s at saturation (closed loop, ${r.setup.connections} connections) | ${mark('pagesPerSecond')} |
| share of the bare route's throughput (both at saturation) | ${mark('ratioToBare')} |
| freshness p99 (rent → 200 → next page without the item)${r.rated ? `, beside ${r.rated.offeredPerSecond.toLocaleString('en')} pages/s offered` : ''}, ms | ${mark('freshnessP99')} |
| ANN recall@20 vs exact (trained members' vectors, unseen by calibration) | ${mark('recall')} |
${r.fresh ? `| server CPU per fresh page (no page or row cache: \`serving.rowCacheMembers = 0\`, same traffic, saturation), ms | ${mark('freshCpu')} |
` : ''}| at saturation, for reference: page p99 / freshness p99, ms | ${r.page.latencyMs.p99} / ${r.freshness.p99Ms} | — | latency there is the queue: ≈ ${r.setup.connections} / pages/s |
| server CPU per page (user + system, during the load, caches as configured), ms | ${r.serverCpuMsPerPage.page} (bare route ${r.serverCpuMsPerPage.bare}) | — | ${Math.round(1000 / r.serverCpuMsPerPage.page)} pages/s per server core |
| server RSS (200k-member world, warmed), MB | ${r.serverRssMB.afterWarm} (peak ${r.serverRssMB.peak}${r.serverRssMB.startPeak ? `; ${r.serverRssMB.startPeak} of it by the end of start-up` : ''}) | ≤ 1500 with 1M members | see online-state.md: 700 MB |
${r.caches ? `| page cache hits at saturation (row cache hits on the rest)${r.caches.pageHitRateAtRate !== undefined ? `; at ${r.rated?.offeredPerSecond.toLocaleString('en')} pages/s` : ''} | ${r.caches.pageHitRate} (${r.caches.rowHitRate})${r.caches.pageHitRateAtRate !== undefined ? `; ${r.caches.pageHitRateAtRate} (${r.caches.rowHitRateAtRate})` : ''} | — | ADR 0007; \`serving.rowCacheMembers = ${r.caches.rowCacheMembers}\` |
` : ''}
| run | requests | pages/s | p50 / p90 / p99 | max | non-2xx | errors |
|---|---|---|---|---|---|---|
| vitrine page, saturation (closed loop) | ${r.page.requests} | ${r.page.perSecond} | ${lat(r.page)} | ${r.page.latencyMs.max} ms | ${r.page.non2xx} | ${r.page.errors} |
${r.rated ? `| vitrine page, ${r.rated.offeredPerSecond.toLocaleString('en')}/s offered (open loop, latency from when due) | ${r.rated.requests} | ${r.rated.perSecond} | ${lat(r.rated)} | ${r.rated.latencyMs.max} ms | ${r.rated.non2xx} | ${r.rated.errors} |
` : ''}${r.fresh ? `| vitrine page, no page or row cache, saturation (the fresh-page run) | ${r.fresh.requests} | ${r.fresh.perSecond} | ${lat(r.fresh)} | ${r.fresh.latencyMs.max} ms | ${r.fresh.non2xx} | ${r.fresh.errors} |
` : ''}| bare Fastify, precomputed page, saturation | ${r.bare.requests} | ${r.bare.perSecond} | ${lat(r.bare)} | ${r.bare.latencyMs.max} ms | ${r.bare.non2xx} | ${r.bare.errors} |

Freshness: ${r.freshnessAtRate ? `${fresh(r.freshnessAtRate)}, beside ${r.rated?.offeredPerSecond.toLocaleString('en')} pages/s offered on ${r.setup.connections - 10} connections; at saturation, ` : ''}${fresh(r.freshness)}, beside ${r.setup.connections - 10} closed-loop load connections.

ANN (IVF over the ALS item factors, ADR 0005): ${r.ann.lists} lists, ${r.ann.probes} probed, ${(r.ann.scannedFraction * 100).toFixed(1)}% of
items scored per query; recall@20 ${r.ann.recallAt20} on ${r.ann.queries} members (calibration: ${r.ann.calibrationRecall});
${r.ann.annMsPerQuery} ms per query against ${r.ann.exactMsPerQuery} ms exact; built in ${r.ann.buildMs} ms at load.

${r.setup.pageWorkers ? `The HTTP thread parses, routes and sends; ${r.setup.pageWorkers} page worker thread(s) compose the pages, members partitioned among them, and an
event reaches every worker before its 200, ahead of any later page in each worker's queue ([ADR 0010](../../docs/decisions/0010-page-workers.md), [ADR 0014](../../docs/decisions/0014-events-do-not-wait-for-page-workers.md)).` : `One server thread serves every page (member state lives in it: that is what makes an event's 200 visible on
the next page).`}
`;
}
