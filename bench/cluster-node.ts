/**
 * `bench:cluster`'s first section (issue 23, "Must show"): one node on PostgreSQL + Redis against the
 * embedded server, on the same world and machine (cluster-node-world.ts). Each figure is taken on both,
 * one load after the other (the order flips from one measure to the next, so a drift in the machine's
 * load is shared):
 * - warm-up: every member's page once (closed loop): on the node, each member's first touch rebuilds
 *   it from PostgreSQL into Redis;
 * - throughput at saturation (closed loop, autocannon: serve-load.ts);
 * - page latency at `rate` pages/s offered (open loop, from when each request was due: serve-rated.ts);
 * - durable ingest through HTTP: batches of `batchSize` events of the world's members and items on
 *   `ingestClients` connections, every one a 200 (= durable: the SQLite or PostgreSQL commit);
 * - on the node only: Redis bytes per member, and first-touch rebuild latency — FLUSHALL (the epoch
 *   goes with it, as when Redis comes back empty), then one page for each of `rebuilds` members at
 *   `rebuildRate`/s, each timed from when due; a page served without the member's state counts apart.
 * Around each load: CPU seconds of every process the page costs (the server; on the node also
 * redis-server and the PostgreSQL backends of its database), Redis calls and PostgreSQL transactions.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { seededUniform } from '../src/ml/common/rng.ts';
import { EPOCH_KEY } from '../src/storage/redis/member-keys.ts';
import { syntheticEvents } from '../test/helpers/synthetic-events.ts';
import { waitFor } from '../test/helpers/wait-for.ts';
import { quantile, runHttpLoad } from './ingest-http-load.ts';
import { backendPids, callsPer, cpuOf, cpuSpent, redisCalls, redisMembers, redisPid, redisUsedMemory, transactions } from './cluster-node-probes.ts';
import { type NodeWorldOptions, startNodeWorld } from './cluster-node-world.ts';
import { type LoadResult, runLoad } from './serve-load.ts';
import { runRatedLoad, type RatedLoadResult } from './serve-rated.ts';
import { metricValue } from './server-probes.ts';

export interface NodeComparisonOptions extends NodeWorldOptions {
  /** seconds of each page load */
  seconds: number;
  connections: number;
  /** pages/s offered in the latency run */
  rate: number;
  /** event batches per side in the ingest run */
  batches: number;
  batchSize: number;
  ingestClients: number;
  /** members asked once each after FLUSHALL (0: skipped) */
  rebuilds: number;
  rebuildRate: number;
  /** which measures run: pages (warm-up, saturation, the rated load; Redis bytes), ingest, rebuild */
  parts: ReadonlySet<'pages' | 'ingest' | 'rebuild'>;
}

/** CPU seconds by process kind during one load, and the same per request in ms. */
export interface CpuFigures {
  seconds: { server: number; redis: number; postgres: number };
  msPerRequest: number;
}

/** A side's figures; a part not run (NodeComparisonOptions.parts) is absent. */
export interface SideFigures {
  warmup?: LoadResult & { cpu: CpuFigures };
  saturation?: LoadResult & { cpu: CpuFigures; redisCallsPerPage: Record<string, number>; pgTransactionsPerPage: number; stateReadFailures: number };
  rated?: RatedLoadResult & { cpu: CpuFigures; stateReadFailures: number };
  ingest?: { events: number; seconds: number; eventsPerSecond: number; batchP50: number; batchP99: number; cpu: CpuFigures; redisCallsPerBatch: Record<string, number> };
}

export interface NodeComparison {
  options: NodeComparisonOptions;
  world: { members: number; items: number };
  setupSeconds: Record<string, number>;
  embedded: SideFigures;
  node: SideFigures;
  redisBytes?: { members: number; usedMemoryGrowth: number; bytesPerMember: number };
  rebuild?: { asked: number; ok: number; coldStart: number; failed: number; p50: number; p99: number; max: number };
}

const PAGE_QUERY = 'rows=8&size=20';
const pagePath = (id: string) => `/v1/users/${encodeURIComponent(id)}/page?${PAGE_QUERY}`;

export async function runNodeComparison(opts: NodeComparisonOptions): Promise<NodeComparison> {
  const world = await startNodeWorld(opts);
  const admin = new pg.Client({ connectionString: world.databaseUrl });
  const redis = new Redis(world.redis.url, { maxRetriesPerRequest: 1 });
  try {
    await admin.connect();
    const redisServerPid = await redisPid(redis);
    const redisBaseline = await redisUsedMemory(redis);
    const sides = {
      embedded: { url: world.embedded.url, pids: async () => ({ server: [world.embedded.child.pid!], redis: [], postgres: [] as number[] }) },
      node: { url: world.node.url, pids: async () => ({ server: [world.node.child.pid!], redis: [redisServerPid], postgres: await backendPids(admin, world.database) }) },
    };
    type Side = keyof typeof sides;
    /** runs `load` against a side with the CPU of each of its processes read around it */
    const measured = async <T>(side: Side, requests: (r: T) => number, load: () => Promise<T>): Promise<T & { cpu: CpuFigures }> => {
      const pidsBefore = await sides[side].pids();
      const before = await cpuOf([...pidsBefore.server, ...pidsBefore.redis, ...pidsBefore.postgres]);
      const result = await load();
      const pids = await sides[side].pids();
      const part = async (list: number[]) => cpuSpent(before, await cpuOf(list));
      const seconds = { server: await part(pids.server), redis: await part(pids.redis), postgres: await part(pids.postgres) };
      const total = seconds.server + seconds.redis + seconds.postgres;
      return { ...result, cpu: { seconds, msPerRequest: (1000 * total) / Math.max(1, requests(result)) } };
    };

    // the node's Redis reads that failed or timed out (each such page fell back to a cold start, named)
    const readFailures = async (side: Side) => (side === 'node' ? metricValue(sides.node.url, 'vitrine_state_redis_read_failures') : 0);
    const random = seededUniform(opts.seed);
    const shuffled = [...world.memberIds];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const paths = shuffled.map(pagePath);
    const pages = (r: { requests: number }) => r.requests;

    const warmup = {} as Record<Side, SideFigures['warmup']>;
    const saturation = {} as Record<Side, SideFigures['saturation']>;
    const rated = {} as Record<Side, SideFigures['rated']>;
    const ingest = {} as Record<Side, SideFigures['ingest']>;
    let redisBytes: NodeComparison['redisBytes'];
    if (opts.parts.has('pages')) for (const side of ['embedded', 'node'] as const) {
      console.log(`warm-up: ${side}, every member once`);
      warmup[side] = await measured(side, pages, () => everyPathOnce(sides[side].url, paths, opts.connections));
    }
    if (opts.parts.has('pages')) {
      const members = await redisMembers(redis);
      const growth = (await redisUsedMemory(redis)) - redisBaseline;
      redisBytes = { members, usedMemoryGrowth: growth, bytesPerMember: Math.round(growth / Math.max(1, members)) };
    }
    if (opts.parts.has('pages')) for (const side of ['embedded', 'node'] as const) {
      console.log(`saturation: ${side}, ${opts.seconds} s`);
      const calls = await redisCalls(redis);
      const xacts = side === 'node' ? await transactions(admin, world.database) : NaN;
      const failures = await readFailures(side);
      const r = await measured(side, pages, () => runLoad({ baseUrl: sides[side].url, paths, connections: opts.connections, duration: opts.seconds }));
      const pgPerPage = side === 'node' ? ((await transactions(admin, world.database)) - xacts) / Math.max(1, r.requests) : 0;
      saturation[side] = {
        ...r, redisCallsPerPage: callsPer(calls, await redisCalls(redis), Math.max(1, r.requests)), pgTransactionsPerPage: pgPerPage,
        stateReadFailures: (await readFailures(side)) - failures,
      };
    }
    if (opts.parts.has('pages')) for (const side of ['node', 'embedded'] as const) {
      console.log(`${opts.rate} pages/s offered: ${side}, ${opts.seconds} s`);
      const failures = await readFailures(side);
      const r = await measured(side, pages, () => runRatedLoad({ baseUrl: sides[side].url, paths, connections: opts.connections, rate: opts.rate, seconds: opts.seconds }));
      rated[side] = { ...r, stateReadFailures: (await readFailures(side)) - failures };
    }
    if (opts.parts.has('ingest')) for (const side of ['embedded', 'node'] as const) {
      console.log(`ingest: ${side}, ${opts.batches} batches of ${opts.batchSize}`);
      const bodies = eventBodies(`${side}${Date.now().toString(36)}`, opts, world.memberIds, world.itemIds);
      const calls = await redisCalls(redis);
      const r = await measured(side, (x) => x.events, () => runHttpLoad(sides[side].url, bodies, opts.batchSize, opts.ingestClients));
      ingest[side] = {
        events: r.events, seconds: r.seconds, eventsPerSecond: Math.round(r.events / r.seconds), cpu: r.cpu,
        batchP50: quantile(r.latenciesMs, 0.5), batchP99: quantile(r.latenciesMs, 0.99),
        redisCallsPerBatch: callsPer(calls, await redisCalls(redis), bodies.length),
      };
    }
    const rebuild = opts.parts.has('rebuild') && opts.rebuilds > 0 ? await firstTouch(redis, world.node.url, shuffled, opts.rebuilds, opts.rebuildRate) : undefined;
    const figures = (side: Side): SideFigures => ({ warmup: warmup[side], saturation: saturation[side], rated: rated[side], ingest: ingest[side] });
    return {
      options: opts, world: { members: world.memberIds.length, items: world.itemIds.length }, setupSeconds: world.setupSeconds,
      embedded: figures('embedded'), node: figures('node'),
      redisBytes,
      rebuild,
    };
  } finally {
    redis.disconnect();
    await admin.end().catch(() => undefined);
    await world.stop();
  }
}

/**
 * Each path asked exactly once, `connections` at a time (closed loop). With autocannon's `amount`,
 * 3,738 of 5,000 members were in Redis afterwards (the rest not asked), so their first touch, a
 * rebuild, fell into the measured loads.
 */
export async function everyPathOnce(baseUrl: string, paths: readonly string[], connections: number): Promise<LoadResult> {
  const ms: number[] = [];
  let next = 0, non2xx = 0, errors = 0;
  const began = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (next < paths.length) {
      const path = paths[next++];
      const sent = performance.now();
      const res = await fetch(new URL(path, baseUrl)).catch(() => undefined);
      if (!res) { errors++; continue; }
      await res.arrayBuffer();
      if (res.status !== 200) non2xx++;
      ms.push(performance.now() - sent);
    }
  }));
  const seconds = (performance.now() - began) / 1000;
  ms.sort((x, y) => x - y);
  const q = (p: number) => Math.round(quantile(ms, p) * 10) / 10;
  return {
    seconds, requests: paths.length, perSecond: Math.round(paths.length / seconds), non2xx, errors, timeouts: 0,
    latencyMs: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1), mean: ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length) },
  };
}

/** The ingest run's request bodies: synthetic events (the full mix) re-keyed to the world's members and items. */
function eventBodies(runId: string, opts: NodeComparisonOptions, memberIds: readonly string[], itemIds: readonly string[]): string[] {
  const count = opts.batches * opts.batchSize;
  // one second apart, the last a minute ago (events from the future are refused)
  const events = syntheticEvents({
    runId, count, users: memberIds.length, items: itemIds.length, seed: opts.seed, startTs: Date.now() - (count + 60) * 1000,
  });
  for (const e of events) {
    e.userId = memberIds[Number(e.userId.slice(1))];
    if (e.itemId) e.itemId = itemIds[Number(e.itemId.slice('dress-'.length))];
  }
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += opts.batchSize) bodies.push(JSON.stringify({ events: events.slice(i, i + opts.batchSize) }));
  return bodies;
}

/**
 * FLUSHALL, as a Redis that came back empty: the node writes a new epoch (its check runs every second),
 * then each of `count` members (evenly spread over `members`) is asked once, `rate` a second, each page
 * timed from when it was due. Every one is a first touch: a rebuild from PostgreSQL before the page.
 */
async function firstTouch(redis: Redis, baseUrl: string, members: readonly string[], count: number, rate: number): Promise<NonNullable<NodeComparison['rebuild']>> {
  console.log(`first touch: FLUSHALL, then ${count} members at ${rate}/s`);
  await redis.flushall();
  await waitFor(async () => (await redis.get(EPOCH_KEY)) !== null, 'the node writing a new epoch into the emptied Redis');
  const asked = Array.from({ length: Math.min(count, members.length) }, (_, k) => members[Math.floor((k * members.length) / Math.min(count, members.length))]);
  const ms: number[] = [];
  let coldStart = 0, failed = 0;
  const began = performance.now();
  const one = async (id: string, dueAt: number) => {
    const res = await fetch(new URL(pagePath(id), baseUrl)).catch(() => undefined);
    const body = res?.status === 200 ? await res.json() as { fallbacks?: Array<{ kind?: string }> } : undefined;
    if (!body) failed++;
    else {
      ms.push(performance.now() - dueAt);
      if ((body.fallbacks ?? []).some((f) => f.kind === 'member-state')) coldStart++;
    }
  };
  const inFlight: Array<Promise<void>> = [];
  for (let k = 0; k < asked.length; k++) {
    const dueAt = began + (k * 1000) / rate;
    const wait = dueAt - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(one(asked[k], dueAt));
  }
  await Promise.all(inFlight);
  ms.sort((x, y) => x - y);
  return { asked: asked.length, ok: ms.length, coldStart, failed, p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), max: ms[ms.length - 1] ?? NaN };
}
