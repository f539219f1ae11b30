/**
 * The live heap a member costs the page side, measured in one thread after full GCs (no RSS, no
 * garbage collector slack): the member's online state, what serving their pages keeps (fold-in
 * vectors, the page → segment map; both bounded), and what the per-member caches keep per member.
 * On the bench:serve world (run `npm run bench:serve` once to build it).
 *   node --expose-gc --import tsx bench/serve-member-heap.ts [--members 10000]   (caches off)
 *   node --expose-gc --import tsx bench/serve-member-heap.ts --cached 1500       (caches on)
 *   ... [--users 1000000]                                                     (the 1M-member world)
 */
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { resolveConfig } from '../src/core/config.ts';
import { ServingReplica } from '../src/serving/replica/serving-replica.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { ensureServeWorld } from './serve-world.ts';

const { values } = parseArgs({ options: { members: { type: 'string', default: '10000' }, cached: { type: 'string', default: '0' }, users: { type: 'string', default: '200000' } } });
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
// array buffers' backing stores are released by a task after the GC that drops them: let it run
const live = async () => {
  for (let k = 0; k < 3; k++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const m = process.memoryUsage();
  return { all: m.heapUsed + m.arrayBuffers, heap: m.heapUsed };
};
// --users 1000000: the bench:serve-memory 1M-member world (built by its first run)
const built = ensureServeWorld({ users: Number(values.users), items: 20_000, days: 90, seed: 11, impressions: 1 });
const store = new SqliteStore(`${built.dataDir}/vitrine.db`);
const members = store.db.prepare('SELECT user_id FROM events GROUP BY user_id').pluck().all() as string[];
const query = { page: 'home', rows: 8, size: 20 };

async function engineWith(rowCacheMembers: number) {
  const config = resolveConfig({ dataDir: built.dataDir, serving: { rowCacheMembers } });
  const rs = await ServingReplica.start({ config, store, clock: Date.now, warn: () => undefined, info: () => undefined, registry: new Registry(),
    logImpressions: async () => undefined,
  });
  const engine = rs.engine;
  // trending and occasion counts, so the rows are those of a running server
  await engine.signalsSeeded();
  return { rs, engine };
}

// one engine: caches off (--cached 0) for the state and serving costs, or room for the measured members
const N = Number(values.members), C = Number(values.cached);
const measured = C > 0 ? C : N;
const before = await live();
const { rs, engine } = await engineWith(C > 0 ? C + 2100 : 0);
// one thread's read side: catalogue, models (typed payloads included: shared between threads in a server), signal counts
const readSide = await live();
const serve = async (ids: readonly string[]) => {
  for (const id of ids) await engine.servePage(id, query);
  await engine.flushServed();
};
// one-time structures (model indexes, predictor caches) are built by pages for other members first
await serve(members.slice(measured, measured + 2000));
const l0 = await live();
const h0 = l0.all;
for (const id of members.slice(0, measured)) await rs.online.get(id);
const l1 = await live();
const h1 = l1.all;
await serve(members.slice(0, measured));
const h2 = (await live()).all;
await serve(members.slice(0, measured)); // a reused page makes its rows' JSON once
const h3 = (await live()).all;
const per = (bytes: number) => Math.round(bytes / measured);
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
console.log(JSON.stringify({ readSideMB: mb(readSide.all - before.all), readSideHeapMB: mb(readSide.heap - before.heap) }));
console.log(JSON.stringify(C > 0
  ? { cachedMembers: C, stateBytesPerMember: per(h1 - h0), stateHeapBytesPerMember: per(l1.heap - l0.heap), servingWithCachesBytesPerMember: per(h2 - h1), afterReuseBytesPerMember: per(h3 - h1) }
  : { members: N, stateBytesPerMember: per(h1 - h0), stateHeapBytesPerMember: per(l1.heap - l0.heap), servingBytesPerMember: per(h2 - h1), afterRepeatBytesPerMember: per(h3 - h1) }, null, 2));
await store.close();
