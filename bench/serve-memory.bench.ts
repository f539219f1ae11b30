/**
 * `npm run bench:serve-memory`: the serving process's RSS as members' state fills it (issue 4: "RSS
 * with 1M members' state ≤ 1.5 GB"). The real server (`vitrine serve`, page workers as configured,
 * default caches) on the bench:serve world; pages are asked for growing numbers of members never seen
 * before (each page hydrates the member's state from the store), and after each step the process's
 * RSS and the members held are read. On the 200k-member world the bytes per member past the caches'
 * bound (the last steps' slope) extrapolate the RSS to 1M members; on a 1M-member world
 * (`--users 1000000 --steps 100000,300000,600000,1000000`: ~15 min to build once, then ~45 min of
 * pages at ~400/s) the last step measures it.
 *   node --import tsx bench/serve-memory.bench.ts [--users 200000 --items 20000 --days 90 --seed 11]
 *     [--page-workers 2] [--page-worker-heap-mb 0] [--heap-growth-percent N (default: the config's, 50; 0 = V8's own factor)]
 *     [--allocation-site-pretenuring (V8's default; off is the config's, ADR 0015)] [--steps 10000,20000,40000,80000] [--connections 32]
 * NODE_OPTIONS (e.g. --max-old-space-size=384, which bounds every thread's heap) reaches the server
 * and is recorded with the run; earlier runs are kept in the results file.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../src/core/config.ts';
import { startServer } from '../test/helpers/server-process.ts';
import { runLoad } from './serve-load.ts';
import { type ServeMemoryRun, TARGET_MEMBERS, writeServeMemoryResults } from './serve-memory-report.ts';
import { ensureServeWorld, restoreServeStore } from './serve-world.ts';
import { metricValue, rssMB as processRssMB } from './server-probes.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '200000' }, items: { type: 'string', default: '20000' },
    days: { type: 'string', default: '90' }, seed: { type: 'string', default: '11' },
    'page-workers': { type: 'string', default: '2' }, steps: { type: 'string', default: '10000,20000,40000,80000' },
    connections: { type: 'string', default: '32' },
    // serving.pageWorkerHeapMb for the run (0: V8's default)
    'page-worker-heap-mb': { type: 'string', default: '0' },
    // serving.heapGrowthPercent for the run (0: V8's own factor; absent: the config's default)
    'heap-growth-percent': { type: 'string' },
    // serving.allocationSitePretenuring = true for the run (V8's default; off is the config's, ADR 0015)
    'allocation-site-pretenuring': { type: 'boolean', default: false },
  },
});
const world = { users: Number(values.users), items: Number(values.items), days: Number(values.days), seed: Number(values.seed), impressions: 1 };
const steps = values.steps.split(',').map(Number);
const pageWorkers = Number(values['page-workers']);
const pageWorkerHeapMb = Number(values['page-worker-heap-mb']);
const defaults = resolveConfig({}).serving;
const heapGrowthPercent = values['heap-growth-percent'] === undefined ? defaults.heapGrowthPercent : Number(values['heap-growth-percent']);
const rowCacheMembers = defaults.rowCacheMembers;
const allocationSitePretenuring = values['allocation-site-pretenuring'];

const built = ensureServeWorld(world);
restoreServeStore(built.dataDir);
const db = new Database(join(built.dataDir, 'vitrine.db'), { readonly: true });
// members in a fixed random-looking order, so each step's members are spread over the world
const members = (db.prepare('SELECT user_id FROM events GROUP BY user_id ORDER BY substr(user_id, -3), user_id').pluck().all() as string[]);
db.close();
if (members.length < steps.at(-1)!) throw new Error(`the world has ${members.length} members with events, fewer than ${steps.at(-1)}`);
writeFileSync(join(built.dataDir, 'vitrine.toml'), `# written by bench/serve-memory.bench.ts\n[serving]\nimpressionItemEvents = false\npageWorkers = ${pageWorkers}\npageWorkerHeapMb = ${pageWorkerHeapMb}\nheapGrowthPercent = ${heapGrowthPercent}\nallocationSitePretenuring = ${allocationSitePretenuring}\n`);

const server = await startServer({ dataDir: built.dataDir, startTimeoutMs: 180_000 });
const metric = (name: string) => metricValue(server.url, name);
const rssMB = () => processRssMB(server.child.pid);
// what the collectors hold: committed heap of the HTTP thread and of the page workers together
const heapsMB = async () => ({
  httpHeapMB: Math.round((await metric('vitrine_nodejs_heap_size_total_bytes')) / 2 ** 20),
  workersHeapMB: Math.round((await metric('vitrine_page_worker_heap_total_bytes')) / 2 ** 20),
});
const points: ServeMemoryRun['points'] = [];
try {
  await new Promise((resolve) => setTimeout(resolve, 15_000)); // start-up work (trending counts) settles
  points.push({ asked: 0, held: await metric('vitrine_online_members'), rssMB: await rssMB(), ...await heapsMB(), pagesPerSecond: 0 });
  console.log(`start: ${points[0].rssMB} MB`);
  let from = 0;
  for (const upTo of steps) {
    const paths = members.slice(from, upTo).map((id) => `/v1/users/${encodeURIComponent(id)}/page?rows=8&size=20`);
    const load = await runLoad({ baseUrl: server.url, paths, connections: Number(values.connections), amount: paths.length });
    if (load.non2xx > 0 || load.errors > 0) throw new Error(`step ${upTo}: ${load.non2xx} non-2xx, ${load.errors} errors`);
    from = upTo;
    const point = { asked: upTo, held: await metric('vitrine_online_members'), rssMB: await rssMB(), ...await heapsMB(), pagesPerSecond: load.perSecond };
    points.push(point);
    console.log(`${upTo} members asked for: ${point.held} held, ${point.rssMB} MB RSS (${point.pagesPerSecond} pages/s)`);
  }
} finally {
  await server.stop();
}

const [a, b] = points.slice(-2);
const bytesPerMember = ((b.rssMB - a.rssMB) * 1024 * 1024) / Math.max(1, b.held - a.held);
// measured when the last step held 1M members; extrapolated from the last two steps otherwise
const projectedMB = b.held >= TARGET_MEMBERS ? b.rssMB : Math.round(b.rssMB + ((TARGET_MEMBERS - b.held) * bytesPerMember) / (1024 * 1024));
const nodeOptions = process.env.NODE_OPTIONS ?? '';
const result: ServeMemoryRun = {
  date: new Date().toISOString(), cpus: cpus().length, node: process.version, nodeOptions,
  command: `${nodeOptions ? `NODE_OPTIONS=${nodeOptions} ` : ''}npm run bench:serve-memory -- --users ${world.users} --items ${world.items} --days ${world.days} --seed ${world.seed} --page-workers ${pageWorkers} --page-worker-heap-mb ${pageWorkerHeapMb} --heap-growth-percent ${heapGrowthPercent}${allocationSitePretenuring ? ' --allocation-site-pretenuring' : ''} --steps ${values.steps} --connections ${values.connections}`,
  pageWorkers, pageWorkerHeapMb, heapGrowthPercent, allocationSitePretenuring, rowCacheMembers, world: { users: world.users, items: world.items }, points, bytesPerMember: Math.round(bytesPerMember), projectedMBAt1M: projectedMB, targetMB: 1500, met: projectedMB <= 1500,
};
console.log(writeServeMemoryResults(result, members.length));
