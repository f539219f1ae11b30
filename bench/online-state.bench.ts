/**
 * Memory and speed of online member state (src/serving/online) at the issue's scale: 1M members with
 * realistic rental histories held in memory at once. Each member is built from a seeded synthetic
 * history (rentals with sizes and occasions, most of them returned, hearts, clicks, a few purchases
 * and dismissals; sizes and preferences from a short list) through the same replay code hydration
 * uses, and the process RSS is measured after a full GC. Then: snapshot reads (what a page costs) and
 * live event application (what an ingest costs), on the full table.
 * Target (issue 4): RSS with 1M members' state ≤ 1.5 GB. Writes bench/results/online-state.{json,md}.
 *   node --expose-gc --import tsx bench/online-state.bench.ts [--members 1000000] [--items 20000] [--seed 1]
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { VitrineEvent } from '../src/core/types.ts';
import { MemberStateStore } from '../src/serving/online/online-state.ts';
import type { Store } from '../src/storage/store.ts';
import { syntheticMembers } from './synthetic-members.ts';

const TARGET_RSS_BYTES = 1.5e9;
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const { values } = parseArgs({
  options: { members: { type: 'string', default: '1000000' }, items: { type: 'string', default: '20000' }, seed: { type: 'string', default: '1' } },
});
const members = Number(values.members);
const items = Number(values.items);
const command = `node --expose-gc --import tsx bench/online-state.bench.ts --members ${members} --items ${items} --seed ${values.seed}`;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

const { random, pick, itemId, memberHistory, SIZES, T0, DAY } = syntheticMembers({ seed: Number(values.seed), items });

const noStore = {} as Store; // nothing is read: members are loaded straight from their histories
const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

gc();
const baseline = process.memoryUsage();
const state = new MemberStateStore(noStore, { capacity: members, recentLimit: 200, hydrateEvents: 1000, foldInCacheSize: 0 });
let totalEvents = 0;
const t0 = performance.now();
for (let m = 0; m < members; m++) {
  const history = memberHistory(`member-${m}`);
  totalEvents += history.events.length;
  state.load(`member-${m}`, history);
}
const buildSeconds = (performance.now() - t0) / 1000;
gc();
gc();
const loaded = process.memoryUsage();
const stats = state.stats();

// a page reads one snapshot; time it for random members
const reads = 100_000;
let recentSeen = 0;
const t1 = performance.now();
for (let k = 0; k < reads; k++) recentSeen += (await state.get(`member-${Math.floor(random() * members)}`)).recent.length;
const readUs = ((performance.now() - t1) * 1000) / reads;

// ingest: live events for members in memory, applied in batches of 500 as the ingest listener does
const applied = 200_000;
const batch: VitrineEvent[] = [];
let applyMs = 0;
for (let k = 0; k < applied; k++) {
  batch.push({ id: `live-${k}`, type: pick(['click', 'heart', 'rent', 'return', 'view'] as const), userId: `member-${Math.floor(random() * members)}`, itemId: itemId(), ts: T0 + 400 * DAY + k, size: pick(SIZES) });
  if (batch.length === 500) {
    const s = performance.now();
    state.apply(batch);
    applyMs += performance.now() - s;
    batch.length = 0;
  }
}
const applyUs = (applyMs * 1000) / applied;
gc();
const after = process.memoryUsage();

const result = {
  date: new Date().toISOString(), command, node: process.version, cores: cpus().length, cpu: cpus()[0]?.model, memoryGB: mb(totalmem()) / 1000,
  loadAverage1m: loadavg()[0], members, items, eventsReplayed: totalEvents, eventsPerMember: totalEvents / members,
  buildSeconds, stats,
  rss: { baselineMB: mb(baseline.rss), loadedMB: mb(loaded.rss), afterLiveEventsMB: mb(after.rss) },
  heapUsedMB: mb(loaded.heapUsed), arrayBuffersMB: mb(loaded.arrayBuffers),
  bytesPerMember: Math.round((loaded.rss - baseline.rss) / members),
  snapshotReadUs: readUs, meanRecentPerSnapshot: recentSeen / reads, applyUsPerEvent: applyUs,
  target: { rssBytes: TARGET_RSS_BYTES, met: after.rss <= TARGET_RSS_BYTES },
};
await writeFile(`${RESULTS}online-state.json`, `${JSON.stringify(result, null, 2)}\n`);
const md = `# Online member state benchmark

${result.date} · ${result.cores} cores (${result.cpu}) · ${result.memoryGB} GB · Node ${result.node} · load average ${result.loadAverage1m.toFixed(2)}.
Reproduce: \`${command}\`.

Data: ${members.toLocaleString('en')} seeded synthetic members (80% with a profile), ${(totalEvents / members).toFixed(1)} events
each on average (rentals with sizes and occasions, 90% returned, fit feedback, hearts, clicks, views, some
purchases and dismissals), ${items.toLocaleString('en')} items with Zipf-like popularity; replayed through the
hydration path (\`MemberStateStore.load\`), then ${applied.toLocaleString('en')} live events applied in batches of 500.

| measure | value | target | |
|---|---|---|---|
| RSS with all members' state in memory (after live events) | ${result.rss.afterLiveEventsMB} MB | ≤ 1500 MB | ${result.target.met ? 'met' : 'missed'} |
| RSS before building (modules loaded) | ${result.rss.baselineMB} MB | | |
| state cost per member (RSS growth / members) | ${result.bytesPerMember} B | | |
| of which packed lists (typed-array arena) | ${mb(stats.listBytes)} MB | | |
| build: replaying ${totalEvents.toLocaleString('en')} events | ${buildSeconds.toFixed(1)} s | | |
| snapshot read (MemberStateStore.get, member in memory; ${result.meanRecentPerSnapshot.toFixed(1)} recent positives on average) | ${readUs.toFixed(2)} µs | | |
| live event applied (ingest listener) | ${applyUs.toFixed(2)} µs | | |
`;
await writeFile(`${RESULTS}online-state.md`, md);
console.log(md);
