/**
 * Issue 23's cluster test (Must show), correctness only: 3 `vitrine serve` nodes + HAProxy + PostgreSQL
 * + Redis (`npm run cluster:local`'s set-up) under a bounded load through HAProxy, a node killed -9 at
 * a third of the run and restarted at two thirds, Redis killed -9 at three quarters and restarted empty
 * on its port. Then: every event batch that got a 200 is in PostgreSQL exactly once; no page served
 * with the member's state shows an item the member rented (200 before the page was asked) or an item
 * without units in their sizes; after Redis came back empty every page is a 200 and the members are
 * rebuilt from PostgreSQL (known answers hold on them); and a rent acknowledged by one node is absent
 * from the member's next page on another node, every time.
 *
 * The load is scaled down from the issue's 300 pages/s + 100 batches/s for 60 s to 100 + 33 for 30 s,
 * same shape (the schedule keeps its fractions): on 2 shared cores the full run is bench:cluster's.
 * The nodes get a generous page budget (5 s) and Redis read timeout (2 s): latency is not asserted
 * here (bench/cluster.bench.ts measures it with the shipped 200 ms / 50 ms), and a page that gave up on
 * a slow Redis could not be checked against the member's rentals.
 * Skips without PostgreSQL, redis-server or haproxy unless CI=true.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startLocalCluster, type LocalCluster } from '../src/cli/cluster/local-cluster.ts';
import { ackedIds, runClusterLoad, type LoadResult } from './helpers/cluster-load.ts';
import { loadClusterWorld, type ClusterWorld } from './helpers/cluster-world.ts';
import { freshnessProbes, type FreshnessResult } from './helpers/freshness-probes.ts';
import { skip as noRedis } from './helpers/private-redis.ts';
import { ADMIN_URL, skip as noPostgres } from './helpers/throwaway-postgres.ts';

const HAPROXY = '/usr/sbin/haproxy';
if (!existsSync(HAPROXY) && process.env.CI === 'true') throw new Error(`${HAPROXY} is not installed and CI=true`);
const skip = noPostgres || noRedis || (existsSync(HAPROXY) ? false : `${HAPROXY} is not installed (apt-get install haproxy): skipped`);

const LOAD_MS = 30_000;
const NODE_CONFIG = '[serving]\nbudgetMs = 5000\nprimaryAlgorithm = "popularity"\n[state]\nreadTimeoutMs = 2000\n';
const RUN = `load${Date.now().toString(36)}`;

/** A counter's value in a node's /metrics. */
async function metric(node: string, name: string): Promise<number> {
  const text = await (await fetch(`${node}/metrics`)).text();
  const m = new RegExp(`\\n${name} (\\d+)\\n`).exec(text);
  if (!m) throw new Error(`${name} is not in ${node}/metrics`);
  return Number(m[1]);
}

describe('a 3-node cluster on PostgreSQL and Redis under load, with kills', { skip }, () => {
  let cluster: LocalCluster;
  let world: ClusterWorld;
  let load: LoadResult;
  let probes: FreshnessResult;
  /** every node's rebuild count just before Redis was restarted */
  let rebuildsBefore = 0;
  const rebuilds = async () => {
    let n = 0;
    for (const node of cluster.nodeUrls) n += await metric(node, 'vitrine_state_redis_rebuilds');
    return n;
  };

  before(async () => {
    cluster = await startLocalCluster({ nodes: 3, adminUrl: ADMIN_URL, nodeConfig: NODE_CONFIG });
    world = await loadClusterWorld(cluster.databaseUrl, cluster.dir, { users: 300, items: 200, days: 30, seed: 23 }, cluster.nodeUrls);
    load = await runClusterLoad({
      url: cluster.url, members: world.members, itemSizes: world.itemSizes, runId: RUN,
      durationMs: LOAD_MS, tailMs: 5000, pagesPerSecond: 100, batchesPerSecond: 33, eventsPerBatch: 5, maxInFlight: 64,
      actions: [
        { name: 'kill -9 node2', atMs: LOAD_MS / 3, run: () => cluster.killNode(1) },
        { name: 'restart node2', atMs: (2 * LOAD_MS) / 3, run: () => cluster.restartNode(1) },
        { name: 'kill -9 Redis, restart it empty', atMs: (3 * LOAD_MS) / 4, run: async () => {
          rebuildsBefore = await rebuilds();
          await cluster.restartRedisEmpty();
        } },
      ],
    });
  });
  after(async () => {
    await cluster?.stop();
  });

  it('ran the schedule: every action done, in order', (t) => {
    assert.deepEqual(load.actions.map((a) => [a.name, a.error]), [
      ['kill -9 node2', undefined], ['restart node2', undefined], ['kill -9 Redis, restart it empty', undefined],
    ]);
    const statuses = new Map<number, number>();
    for (const p of load.pages) statuses.set(p.status, (statuses.get(p.status) ?? 0) + 1);
    t.diagnostic(`cluster load: ${load.pages.length} pages (statuses ${JSON.stringify([...statuses])}, ${load.pages.filter((p) => p.coldStart).length} cold-start, `
      + `${load.droppedPages} dropped), ${load.batches.length} batches (${load.batches.filter((b) => b.attempts.length > 1).length} sent again, `
      + `${load.batches.reduce((n, b) => n + b.duplicates, 0)} duplicates counted, ${load.droppedBatches} dropped) in ${(load.elapsedMs / 1000).toFixed(1)} s; `
      + `${load.pages.filter((p) => p.heldChecked > 0).length} pages checked against ${load.pages.reduce((n, p) => n + p.heldChecked, 0)} acknowledged rents; `
      + `actions ${load.actions.map((a) => `${a.name} ${a.startMs.toFixed(0)}–${a.endMs?.toFixed(0)} ms`).join(', ')}`);
    assert.ok(load.pages.length > 0 && load.batches.length > 0);
  });

  it('stores every event that got a 200 exactly once, and every batch got its 200 in the end', async () => {
    const acked = ackedIds(load);
    assert.deepEqual(load.batches.filter((b) => b.ackMs === undefined).map((b) => b.ids[0]), [], 'batches never acknowledged');
    const client = new pg.Client({ connectionString: cluster.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number; distinct_ids: number; acked: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct_ids, count(*) FILTER (WHERE id = ANY($2))::int AS acked
           FROM events WHERE id LIKE $1`, [`${RUN}-%`, acked]);
      assert.deepEqual(rows[0], { n: acked.length, distinct_ids: acked.length, acked: acked.length });
    } finally {
      await client.end();
    }
  });

  it('serves no page with the member\'s state that shows a rented item or an item outside their sizes', () => {
    const checked = load.pages.filter((p) => p.status === 200 && !p.coldStart);
    assert.ok(checked.length > load.pages.length / 2, `most pages were served with the member's state (${checked.length} of ${load.pages.length})`);
    assert.deepEqual(load.pages.flatMap((p) => p.violations).slice(0, 10), []);
  });

  it('after Redis came back empty: every page is a 200, members are rebuilt, and known answers hold on them', async () => {
    const back = load.actions[2].endMs ?? Infinity;
    const after = load.pages.filter((p) => p.startMs > back);
    assert.ok(after.length > 0, 'pages were asked after Redis returned');
    assert.deepEqual(after.filter((p) => p.status !== 200).map((p) => `${p.member} ${p.status} at ${p.startMs.toFixed(0)} ms`).slice(0, 10), []);
    const rebuiltWithRentals = after.filter((p) => !p.coldStart && p.heldChecked > 0);
    assert.ok(rebuiltWithRentals.length > 0, 'some members with acknowledged rents were paged (rebuilt from PostgreSQL) after Redis returned');
    for (const [k, node] of cluster.nodeUrls.entries()) {
      assert.ok(await metric(node, 'vitrine_state_redis_epoch_changes') >= 1, `node${k + 1} saw Redis's new epoch`);
    }
    // each member read under the new epoch was rebuilt once, by whichever node read it first
    const members = new Set(after.filter((p) => p.status === 200 && !p.coldStart).map((p) => p.member));
    const rebuilt = await rebuilds() - rebuildsBefore;
    assert.ok(rebuilt >= members.size, `${rebuilt} rebuilds for ${members.size} members paged with their state after Redis returned`);
  });

  it('a rent acknowledged by one node is absent from the member\'s next page on another node', async () => {
    probes = await freshnessProbes(cluster.nodeUrls, world.members, 50, RUN);
    assert.ok(probes.probes >= 45, `${probes.probes} probes ran (${probes.skipped} skipped on an empty page)`);
    assert.deepEqual(probes.present, []);
    assert.equal(probes.coldStart, 0, 'every probe page was served with the member\'s state');
  });
});
