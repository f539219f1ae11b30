/** The serving benchmark's results file: bench/results/serve.json (with the run history) and serve.md. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { FreshnessResult } from './serve-freshness.ts';
import type { LoadResult } from './serve-load.ts';
import type { RatedLoadResult } from './serve-rated.ts';

export interface ServeResult {
  benchmark: 'serve';
  date: string;
  machine: { cpus: number; cpu?: string; node: string; memoryGB: number };
  loadAverage: { before: number[]; after: number[] };
  command: string;
  world: { users: number; items: number; days: number; seed: number; impressions: number; cached: boolean; buildSeconds: Record<string, number>;
    trainedMembers: number; trainedItems: number };
  setup: { connections: number; durationSeconds: number; pool: number; rows: number; size: number; serverProcesses: number; pageWorkers?: number; heapGrowthPercent?: number; itemImpressionEvents: boolean };
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
  caches?: { pageHitRate: number; rowHitRate: number; rowCacheMembers: number };
  targets: Record<string, { value: number; target: string; met: boolean }>;
  history?: Array<Record<string, unknown>>;
}

const OUT = new URL('./results/', import.meta.url);

/** Writes serve.json and serve.md, carrying the history of earlier runs forward; returns the markdown. */
export function writeServeResults(result: ServeResult): string {
  mkdirSync(OUT, { recursive: true });
  const jsonFile = new URL('serve.json', OUT);
  const earlier = existsSync(jsonFile) ? ((JSON.parse(readFileSync(jsonFile, 'utf8')) as ServeResult).history ?? []) : [];
  const row = {
    date: result.date, loadAverage: result.loadAverage.before[0], pagesPerSecond: result.page.perSecond,
    p50: result.page.latencyMs.p50, p99: result.page.latencyMs.p99, bare: result.bare.perSecond, ratio: result.ratioToBare,
    freshnessP99: result.freshness.p99Ms, recall: result.ann.recallAt20, serverProcesses: result.setup.serverProcesses, pageWorkers: result.setup.pageWorkers ?? 0,
    cpuMsPerPage: result.serverCpuMsPerPage.page, pageCacheHitRate: result.caches?.pageHitRate,
    offered: result.rated?.offeredPerSecond, ratedP99: result.rated?.latencyMs.p99, ratedFreshnessP99: result.freshnessAtRate?.p99Ms,
    ...(result.setup.heapGrowthPercent === undefined ? {} : { note: `serving.heapGrowthPercent = ${result.setup.heapGrowthPercent}` }),
  };
  result.history = [...earlier, row];
  writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
  const md = markdown(result);
  writeFileSync(new URL('serve.md', OUT), md);
  return md;
}

/** The markdown of a result (its history included). */
export function markdown(r: ServeResult): string {
  const t = r.targets;
  const mark = (k: string) => `${t[k].value} | ${t[k].target} | ${t[k].met ? 'met' : '**not met**'}`;
  const fresh = (f: FreshnessResult) => `${f.trials} trials (10 loops, ${f.trialsPerSecond ? `${f.trialsPerSecond} started a second` : 'back to back'}), ${f.stale} stale pages, event sent → reflecting page p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, max ${f.maxMs} ms (the event's 200 alone: p99 ${f.eventP99Ms} ms)`;
  const lat = (l: LoadResult) => `${l.latencyMs.p50} / ${l.latencyMs.p90} / ${l.latencyMs.p99} ms`;
  return `# Serving benchmark — pages of ${r.setup.rows} rows × ${r.setup.size} items

${r.date} · ${r.machine.cpus} cores (${r.machine.cpu ?? '?'}) · ${r.machine.memoryGB} GB · Node ${r.machine.node} ·
load average before ${r.loadAverage.before.join(' / ')}, after ${r.loadAverage.after.join(' / ')} (the machine is shared).
Command: \`${r.command}\`

World: ${r.world.users.toLocaleString('en')} members × ${r.world.items.toLocaleString('en')} items, ${r.world.days} days
(seed ${r.world.seed}, ${r.world.impressions} impression per visit) generated, imported into SQLite and trained with the default
algorithms${r.world.cached ? ' (cached from an earlier run)' : ''}: ALS knows ${r.world.trainedMembers.toLocaleString('en')} members
and ${r.world.trainedItems.toLocaleString('en')} items. The real server (\`vitrine serve\`, ${r.setup.serverProcesses} process, ${r.setup.pageWorkers ?? 0} page worker thread(s)) runs as a
child process; autocannon drives ${r.setup.connections} keep-alive connections of \`GET /v1/users/:id/page?rows=${r.setup.rows}&size=${r.setup.size}\`
over ${r.setup.pool.toLocaleString('en')} known members (brought into use evenly over one live TTL first, so their cached pages are of every age), for ${r.setup.durationSeconds} s; then the same load
against a bare Fastify route returning a precomputed page of the same size (${(r.pageBytes / 1024).toFixed(1)} KB). Every page is
logged after its response (impression record${r.setup.itemImpressionEvents ? ' and one impression event per item' : ' only: `serving.impressionItemEvents = false`'}).

| measure | value | target | |
|---|---|---|---|
| page p99 latency at ${r.rated ? `${r.rated.offeredPerSecond.toLocaleString('en')} pages/s offered` : 'saturation'} (open loop, ${r.setup.connections} connections), ms | ${mark('p99')} |
| pages/s at saturation (closed loop, ${r.setup.connections} connections) | ${mark('pagesPerSecond')} |
| share of the bare route's throughput (both at saturation) | ${mark('ratioToBare')} |
| freshness p99 (rent → 200 → next page without the item)${r.rated ? `, beside ${r.rated.offeredPerSecond.toLocaleString('en')} pages/s offered` : ''}, ms | ${mark('freshnessP99')} |
| ANN recall@20 vs exact (trained members' vectors, unseen by calibration) | ${mark('recall')} |
| at saturation, for reference: page p99 / freshness p99, ms | ${r.page.latencyMs.p99} / ${r.freshness.p99Ms} | — | latency there is the queue: ≈ ${r.setup.connections} / pages/s |
| server CPU per page (user + system, during the load), ms | ${r.serverCpuMsPerPage.page} (bare route ${r.serverCpuMsPerPage.bare}) | ≤ ~1 for 1,000/s on one core | ${Math.round(1000 / r.serverCpuMsPerPage.page)} pages/s per server core |
| server RSS (200k-member world, pool warmed), MB | ${r.serverRssMB.afterWarm} (peak ${r.serverRssMB.peak}${r.serverRssMB.startPeak ? `; ${r.serverRssMB.startPeak} of it by the end of start-up` : ''}) | ≤ 1500 with 1M members | see online-state.md: 700 MB |
${r.caches ? `| page cache hits during the load (row cache hits on the rest) | ${r.caches.pageHitRate} (${r.caches.rowHitRate}) | — | ADR 0007; \`serving.rowCacheMembers = ${r.caches.rowCacheMembers}\` |
` : ''}
| run | requests | pages/s | p50 / p90 / p99 | max | non-2xx | errors |
|---|---|---|---|---|---|---|
| vitrine page, saturation (closed loop) | ${r.page.requests} | ${r.page.perSecond} | ${lat(r.page)} | ${r.page.latencyMs.max} ms | ${r.page.non2xx} | ${r.page.errors} |
${r.rated ? `| vitrine page, ${r.rated.offeredPerSecond.toLocaleString('en')}/s offered (open loop, latency from when due) | ${r.rated.requests} | ${r.rated.perSecond} | ${lat(r.rated)} | ${r.rated.latencyMs.max} ms | ${r.rated.non2xx} | ${r.rated.errors} |
` : ''}| bare Fastify, precomputed page, saturation | ${r.bare.requests} | ${r.bare.perSecond} | ${lat(r.bare)} | ${r.bare.latencyMs.max} ms | ${r.bare.non2xx} | ${r.bare.errors} |

Freshness: ${r.freshnessAtRate ? `${fresh(r.freshnessAtRate)}, beside ${r.rated?.offeredPerSecond.toLocaleString('en')} pages/s offered on ${r.setup.connections - 10} connections; at saturation, ` : ''}${fresh(r.freshness)}, beside ${r.setup.connections - 10} closed-loop load connections.

ANN (IVF over the ALS item factors, ADR 0005): ${r.ann.lists} lists, ${r.ann.probes} probed, ${(r.ann.scannedFraction * 100).toFixed(1)}% of
items scored per query; recall@20 ${r.ann.recallAt20} on ${r.ann.queries} members (calibration: ${r.ann.calibrationRecall});
${r.ann.annMsPerQuery} ms per query against ${r.ann.exactMsPerQuery} ms exact; built in ${r.ann.buildMs} ms at load.

${r.setup.pageWorkers ? `The HTTP thread parses, routes and sends; ${r.setup.pageWorkers} page worker thread(s) compose the pages, members partitioned among them, and an
event reaches every worker before its 200, ahead of any later page in each worker's queue ([ADR 0010](../../docs/decisions/0010-page-workers.md), [ADR 0014](../../docs/decisions/0014-events-do-not-wait-for-page-workers.md)).` : `One server thread serves every page (member state lives in it: that is what makes an event's 200 visible on
the next page).`} Throughput is measured at saturation (closed loop), latency at the target rate (open loop, each
request timed from when it fell due): with ${r.setup.connections} closed-loop connections latency is only the queue
(≈ connections / throughput), see [ADR 0008](../../docs/decisions/0008-latency-at-the-target-rate.md). Where the CPU
per page goes:
[docs/operations.md § Retrieval at catalogue scale and serving throughput](../../docs/operations.md).

## History

Columns p50 / p99 / freshness p99 are at saturation (closed loop); "at rate" columns are the open-loop run (ADR 0008).

| date | load avg | server processes | page workers | pages/s | p50 | p99 | server CPU ms/page | bare/s | ratio | freshness p99 | recall@20 | page cache hits | offered/s | p99 at rate | freshness p99 at rate | note |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${(r.history ?? []).map((h) => `| ${String(h.date)} | ${String(h.loadAverage)} | ${String(h.serverProcesses)} | ${String(h.pageWorkers ?? 0)} | ${String(h.pagesPerSecond)} | ${String(h.p50)} | ${String(h.p99)} | ${String(h.cpuMsPerPage ?? '—')} | ${String(h.bare)} | ${String(h.ratio)} | ${String(h.freshnessP99)} | ${String(h.recall)} | ${String(h.pageCacheHitRate ?? '—')} | ${String(h.offered ?? '—')} | ${String(h.ratedP99 ?? '—')} | ${String(h.ratedFreshnessP99 ?? '—')} | ${String(h.note ?? '')} |`).join('\n')}
`;
}
