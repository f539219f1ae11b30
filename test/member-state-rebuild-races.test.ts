/**
 * Issue 23: a rebuild of a member in Redis races with what happens between its read of the store and
 * its install. Each test stops a rebuild right after that read (a store whose `userEvents` runs a
 * hook) and does there what the cluster test saw under load: an event applied to the member still
 * there under an older epoch, or Redis coming back empty. Skipped without redis-server unless CI=true.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VitrineEvent } from '../src/core/types.ts';
import { REDIS_STATE_DEFAULTS, RedisMemberState, type RedisMemberStateOptions } from '../src/serving/online/redis/redis-member-state.ts';
import { EPOCH_KEY, memberKeys } from '../src/storage/redis/member-keys.ts';
import type { Store } from '../src/storage/store.ts';
import { PrivateRedis, skip } from './helpers/private-redis.ts';
import { ingest, MIN, privateRedisWithStore, T0 } from './member-state-contract.ts';

const options: RedisMemberStateOptions = { ...REDIS_STATE_DEFAULTS, recentLimit: 200, hydrateEvents: 1000, foldInCacheSize: 100, readTimeoutMs: 1000 };

/** The store, but the next read of a member's events runs `hook` after reading (before the rebuild installs). */
function pausingStore(store: Store): { store: Store; afterNextRead(hook: () => Promise<void>): void } {
  let pending: (() => Promise<void>) | undefined;
  const wrapped = new Proxy(store, {
    get(target, name) {
      if (name === 'userEvents') {
        return async (...args: Parameters<Store['userEvents']>) => {
          const events = await target.userEvents(...args);
          const hook = pending;
          pending = undefined;
          await hook?.();
          return events;
        };
      }
      const value = Reflect.get(target, name) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: wrapped, afterNextRead: (hook) => { pending = hook; } };
}

const rent = (id: string, userId: string, itemId: string, ts: number): VitrineEvent => ({ id, userId, type: 'rent', itemId, ts });

describe('member rebuilds racing with events and a Redis that came back empty (issue 23)', { skip }, () => {
  let redis: PrivateRedis;
  let store: Store;
  privateRedisWithStore((r, s) => { redis = r; store = s; });

  it('keeps an event applied to the member of an older epoch after the rebuild read the store', async () => {
    const paused = pausingStore(store);
    const writer = await RedisMemberState.open(redis.url, store, options);
    const c = redis.client();
    let reader: RedisMemberState | undefined;
    try {
      await ingest(store, writer, [rent('old-1', 'older', 'd1', T0)]);
      await writer.get('older');
      // an operator forces a rebuild of everyone: a node that read the new epoch rebuilds the member
      // while the writer, which has not read it yet, applies a rent to the member still there
      await c.set(EPOCH_KEY, 'forced');
      reader = await RedisMemberState.open(redis.url, paused.store, { ...options, writer: false });
      paused.afterNextRead(() => ingest(store, writer, [rent('old-2', 'older', 'd2', T0 + MIN)]));
      const s = await reader.get('older');
      assert.deepEqual([...s.held].sort(), ['d1', 'd2'], 'the rent committed after the rebuild read the store is held');
      assert.equal(await c.hget(memberKeys('older').state, 'ep'), 'forced');
      assert.equal(await c.exists(memberKeys('older').queue, memberKeys('older').building), 0, 'the rebuild cleared its queue and marker');
    } finally { c.disconnect(); await writer.close(); await reader?.close(); }
  });

  it('installs under the new epoch when Redis came back empty between the marker and the install', async () => {
    const paused = pausingStore(store);
    const node = await RedisMemberState.open(redis.url, paused.store, options);
    const other = await RedisMemberState.open(redis.url, store, options);
    const c = redis.client();
    try {
      await store.appendEvents([rent('empty-1', 'emptied', 'd1', T0)]);
      // Redis loses everything (its marker too) while the rebuild reads the store: the install must start over
      paused.afterNextRead(async () => { await c.flushall(); });
      const s = await node.get('emptied');
      assert.deepEqual([...s.held], ['d1']);
      const epoch = await c.get(EPOCH_KEY);
      assert.notEqual(epoch, null, 'the retry read the epoch again, so wrote one to the empty Redis');
      assert.equal(await c.hget(memberKeys('emptied').state, 'ep'), epoch, 'stamped with the epoch of Redis\'s new life');
      // a node that still holds the old epoch does not take the member for one of its own life
      await ingest(store, other, [rent('empty-2', 'emptied', 'd2', T0 + MIN)]);
      assert.deepEqual([...(await other.get('emptied')).held].sort(), ['d1', 'd2']);
      assert.deepEqual([...(await node.get('emptied')).held].sort(), ['d1', 'd2']);
    } finally { c.disconnect(); await node.close(); await other.close(); }
  });
});
