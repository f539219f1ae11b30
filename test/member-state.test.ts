/**
 * The member-state contract (member-state-contract.ts) on every implementation: in-process, one
 * private Redis (kill -9 and restart empty to lose it), and a 3-node Redis Cluster started here
 * (FLUSHALL on every node to lose it). Then what only Redis has: a script applied twice, the epoch,
 * and the same answers as the in-process state on a random stream. Skipped without redis-server
 * unless CI=true.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EventType, VitrineEvent } from '../src/core/types.ts';
import { MemberStateStore } from '../src/serving/online/online-state.ts';
import { REDIS_STATE_DEFAULTS, RedisMemberState, type RedisMemberStateOptions } from '../src/serving/online/redis/redis-member-state.ts';
import type { Store } from '../src/storage/store.ts';
import { PrivateRedis, PrivateRedisCluster, skip } from './helpers/private-redis.ts';
import { waitFor } from './helpers/wait-for.ts';
import { ingest, memberStateContract, MIN, privateRedisWithStore, T0, visible } from './member-state-contract.ts';

const LIMITS = { recentLimit: 200, hydrateEvents: 1000, foldInCacheSize: 100 };
const redisOptions = (more: Partial<RedisMemberStateOptions> = {}): RedisMemberStateOptions =>
  ({ ...LIMITS, ...REDIS_STATE_DEFAULTS, readTimeoutMs: 1000, ...more });
const inProcess = (store: Store, limits = LIMITS): MemberStateStore => new MemberStateStore(store, { capacity: 10_000, ...limits });

/** A read that succeeds once the state's connection is back (after a restart). */
async function readable(state: RedisMemberState): Promise<void> {
  await waitFor(() => state.ping().then(() => true, () => false), 'Redis to answer again', 10_000);
}

memberStateContract('in-process', async (store) => {
  const state = inProcess(store);
  return { state, loseState: async () => inProcess(store), close: async () => undefined };
});

memberStateContract('redis', async (store) => {
  const redis = await PrivateRedis.start();
  const state = await RedisMemberState.open(redis.url, store, redisOptions());
  return {
    state,
    loseState: async () => {
      await redis.restart();
      await readable(state);
      return state;
    },
    close: async () => { await state.close(); await redis.stop(); },
  };
}, { skip });

describe('member state on a Redis Cluster', { skip }, () => {
  let cluster: PrivateRedisCluster | undefined;
  before(async () => { cluster = await PrivateRedisCluster.start(3); });
  after(async () => { await cluster?.stop(); });
  memberStateContract('redis cluster (3 masters)', async (store) => {
    if (!cluster) throw new Error('the cluster did not start');
    const c = cluster;
    const state = await RedisMemberState.open(c.url, store, redisOptions());
    return { state, loseState: async () => { await c.flushAll(); return state; }, close: () => state.close() };
  });
});

describe('Redis member state specifics', { skip }, () => {
  let redis: PrivateRedis;
  let store: Store;
  privateRedisWithStore((r, s) => { redis = r; store = s; });

  it('counts a script applied twice once (a retry after a timeout)', async () => {
    const state = await RedisMemberState.open(redis.url, store, redisOptions());
    try {
      await state.get('twice');
      const rents = [1, 2, 3].map((i): VitrineEvent => ({ id: `t-${i}`, userId: 'twice', type: 'rent', itemId: `d${i}`, ts: T0 + i, size: '8' }));
      await state.apply(rents);
      await state.apply(rents);
      await state.apply(rents.slice(1));
      const s = await state.get('twice');
      assert.equal(s.segment, 'size:8|tenure:regular', 'nine rentals applied, three counted (five would be loyal)');
      assert.equal(s.recent.length, 3);
    } finally { await state.close(); }
  });

  it('leaves events of a member not in Redis to the store, and rebuilds it on first read', async () => {
    const state = await RedisMemberState.open(redis.url, store, redisOptions());
    try {
      await ingest(store, state, [{ id: 'abs-1', userId: 'absent', type: 'rent', itemId: 'd1', ts: T0 }]);
      const c = redis.client();
      assert.equal(await c.exists('{m:absent}'), 0, 'an event does not create a partial member');
      c.disconnect();
      const before = state.stats().rebuilds;
      assert.deepEqual([...(await state.get('absent')).held], ['d1']);
      assert.equal(state.stats().rebuilds, before + 1);
      await state.get('absent');
      assert.equal(state.stats().rebuilds, before + 1, 'read from Redis the second time');
    } finally { await state.close(); }
  });

  it('counts an epoch change when Redis comes back empty, on every node', async () => {
    const a = await RedisMemberState.open(redis.url, store, redisOptions());
    const b = await RedisMemberState.open(redis.url, store, redisOptions());
    try {
      await store.appendEvents([{ id: 'ep-1', userId: 'epoch', type: 'rent', itemId: 'd1', ts: T0 }]);
      await a.get('epoch');
      await redis.restart();
      await readable(a);
      await readable(b);
      assert.deepEqual([...(await a.get('epoch')).held], ['d1']);
      assert.deepEqual([...(await b.get('epoch')).held], ['d1']);
      assert.equal(a.stats().epochChanges, 1);
      assert.equal(b.stats().epochChanges, 1);
    } finally { await a.close(); await b.close(); }
  });

  it('fails a page read fast while Redis is down (the page falls back), and repairs members written meanwhile', async () => {
    const state = await RedisMemberState.open(redis.url, store, redisOptions({ readTimeoutMs: 50, writeTimeoutMs: 200 }));
    try {
      await store.appendEvents([{ id: 'dn-1', userId: 'down', type: 'rent', itemId: 'd1', ts: T0 }]);
      await state.get('down');
      await redis.kill();
      await assert.rejects(state.get('down'));
      const missed: VitrineEvent = { id: 'dn-2', userId: 'down', type: 'return', itemId: 'd1', ts: T0 + MIN };
      await store.appendEvents([missed]);
      await state.apply([missed]);
      assert.equal(state.stats().dirty, 1);
      await redis.restart();
      await readable(state);
      const s = await state.get('down');
      assert.deepEqual([...s.held], []);
      assert.deepEqual([...s.returned], [['d1', T0 + MIN]]);
    } finally { await state.close(); }
  });

  it('answers as the in-process state on a random stream of every event type', async () => {
    const limits = { ...LIMITS, recentLimit: 6 };
    const state = await RedisMemberState.open(redis.url, store, redisOptions(limits));
    const local = inProcess(store, limits);
    try {
      const types: EventType[] = ['rent', 'return', 'purchase', 'heart', 'unheart', 'click', 'view', 'impression', 'dismiss', 'shortlist', 'review'];
      let seed = 7;
      const rand = (n: number): number => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return seed % n; };
      const members = ['p0', 'p1', 'p2', 'p3'];
      for (const m of members) { await state.get(m); await local.get(m); }
      for (let i = 0; i < 400; i++) {
        const type = types[rand(types.length)];
        const ev: VitrineEvent = { id: `rnd-${i}`, userId: members[rand(members.length)], type, itemId: `i${rand(12)}`, ts: T0 + i * 1000 };
        if (rand(3) === 0) ev.size = ['6', '8', '10'][rand(3)];
        if (ev.size && (type === 'return' || type === 'review') && rand(2) === 0) ev.fit = (['small', 'fit', 'large'] as const)[rand(3)];
        if (rand(4) === 0) ev.occasion = 'party';
        await store.appendEvents([ev]);
        await Promise.all([state.apply([ev]), local.apply([ev])]);
      }
      for (const m of members) assert.deepEqual(visible(await state.get(m)), visible(await local.get(m)), m);
    } finally { await state.close(); }
  });
});
