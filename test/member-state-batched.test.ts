/**
 * Ingest applies a batch in one APPLY_MEMBERS call per hash slot (issue 23): the calls it cuts
 * (member-batches.ts, hash-slot.ts), and a known-answer check that one multi-member call leaves each
 * member exactly the Redis state that one APPLY_EVENTS call per member leaves: applied, absent
 * (left alone) and queued behind a rebuild. Redis parts skipped without redis-server unless CI=true.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import type { EventType, VitrineEvent } from '../src/core/types.ts';
import { MAX_MEMBERS_PER_CALL, membersCalls } from '../src/serving/online/redis/member-batches.ts';
import { APPLY_EVENTS, APPLY_MEMBERS } from '../src/serving/online/redis/member-scripts.ts';
import { REDIS_STATE_DEFAULTS, RedisMemberState } from '../src/serving/online/redis/redis-member-state.ts';
import { eventArgs, scriptHeader } from '../src/serving/online/redis/script-args.ts';
import { hashSlot } from '../src/storage/redis/hash-slot.ts';
import { keyList, MEMBER_KEY_COUNT, memberKeys } from '../src/storage/redis/member-keys.ts';
import type { Store } from '../src/storage/store.ts';
import { PrivateRedis, skip } from './helpers/private-redis.ts';
import { privateRedisWithStore, T0 } from './member-state-contract.ts';

const LIMITS = { ...REDIS_STATE_DEFAULTS, recentLimit: 6, hydrateEvents: 1000, foldInCacheSize: 10, readTimeoutMs: 1000 };
const rent = (id: string, userId: string): VitrineEvent => ({ id, userId, type: 'rent', itemId: 'd1', ts: T0 });

describe('hash slots', () => {
  it('match the cluster specification (CLUSTER KEYSLOT answers)', () => {
    assert.equal(hashSlot('123456789'), 0x31c3);
    assert.equal(hashSlot('foo'), 12182);
    assert.equal(hashSlot('somekey'), 11058);
    assert.equal(hashSlot('{foo}:r'), 12182, 'a hash tag alone is hashed');
    assert.notEqual(hashSlot('foo{}{bar}'), hashSlot('bar'), 'an empty first tag: the whole key is hashed');
  });
});

describe('membersCalls', () => {
  it('sends a single Redis one call with every member, events in order behind their count', () => {
    const events = [rent('a1', 'a'), rent('b1', 'b'), rent('a2', 'a')];
    const calls = membersCalls(events, LIMITS, false);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0].userIds, ['a', 'b']);
    assert.deepEqual(calls[0].args, [
      2 * MEMBER_KEY_COUNT, ...keyList(memberKeys('a')), ...keyList(memberKeys('b')), ...scriptHeader(LIMITS, ''),
      2, ...eventArgs(events[0]), ...eventArgs(events[2]), 1, ...eventArgs(events[1]),
    ]);
  });

  it('groups members by hash slot on a cluster, and bounds the members of a call', () => {
    const events = Array.from({ length: 600 }, (_, i) => rent(`e${i}`, `u${i % 300}`));
    const bySlot = membersCalls(events, LIMITS, true);
    const slots = bySlot.map((c) => new Set(c.userIds.map((u) => hashSlot(memberKeys(u).state))));
    for (const s of slots) assert.equal(s.size, 1, 'one slot per call');
    assert.equal(new Set(slots.map((s) => [...s][0])).size, bySlot.length, 'one call per slot');
    assert.equal(bySlot.reduce((n, c) => n + c.userIds.length, 0), 300);
    const single = membersCalls(events, LIMITS, false);
    assert.deepEqual(single.map((c) => c.userIds.length), [MAX_MEMBERS_PER_CALL, 300 - MAX_MEMBERS_PER_CALL]);
  });
});

type Scripted = Redis & {
  applyOne(...args: Array<string | number>): Promise<number>;
  applyMany(...args: Array<string | number>): Promise<number[]>;
};

/** A member's Redis state, with its revision counted from `rv0` (a rebuild stamps it from the clock). */
async function dump(c: Redis, userId: string, rv0: number): Promise<unknown> {
  const k = memberKeys(userId);
  const state = await c.hgetall(k.state);
  if (state.rv) state.rv = String(Number(state.rv) - rv0);
  return { state, recent: await c.zrange(k.recent, 0, -1, 'WITHSCORES'), queue: await c.lrange(k.queue, 0, -1), profile: await c.get(k.profile) };
}

describe('APPLY_MEMBERS against APPLY_EVENTS', { skip }, () => {
  let redis: PrivateRedis;
  let store: Store;
  privateRedisWithStore((r, s) => { redis = r; store = s; });

  it('leaves every member the state one call per member leaves, and answers as those calls', async () => {
    const state = await RedisMemberState.open(redis.url, store, { ...LIMITS, writer: false });
    const c = redis.client() as Scripted;
    c.defineCommand('applyOne', { numberOfKeys: MEMBER_KEY_COUNT, lua: APPLY_EVENTS });
    c.defineCommand('applyMany', { lua: APPLY_MEMBERS });
    try {
      const members = ['m0', 'm1', 'm2', 'm3', 'absent', 'building'];
      const rv0 = new Map<string, number>();
      for (const side of ['one', 'many']) {
        for (const m of members.slice(0, 4)) {
          await state.get(`${side}-${m}`);
          rv0.set(`${side}-${m}`, Number(await c.hget(memberKeys(`${side}-${m}`).state, 'rv')));
        }
        await c.set(memberKeys(`${side}-building`).building, '1');
      }
      const types: EventType[] = ['rent', 'return', 'purchase', 'heart', 'unheart', 'click', 'view', 'impression', 'dismiss', 'review'];
      let seed = 11;
      const rand = (n: number): number => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return (seed >>> 8) % n; };
      const answers = { one: [] as number[], many: [] as number[] };
      for (let batch = 0; batch < 12; batch++) {
        const events: VitrineEvent[] = [];
        for (let i = 0; i < 25; i++) {
          const type = types[rand(types.length)];
          // a repeated id now and then: counted once on both sides
          const ev: VitrineEvent = { id: `b${batch}-${rand(20)}`, userId: members[rand(members.length)], type, itemId: `i${rand(8)}`, ts: T0 + rand(5000) * 1000 };
          if (rand(2) === 0) ev.size = ['6', '8'][rand(2)];
          if (ev.size && type === 'return' && rand(2) === 0) ev.fit = (['small', 'fit', 'large'] as const)[rand(3)];
          events.push(ev);
        }
        const as = (side: string): VitrineEvent[] => events.map((e) => ({ ...e, userId: `${side}-${e.userId}` }));
        for (const call of membersCalls(as('many'), LIMITS, false)) answers.many.push(...(await c.applyMany(...call.args)));
        const byMember = new Map<string, VitrineEvent[]>();
        for (const e of as('one')) byMember.set(e.userId, [...(byMember.get(e.userId) ?? []), e]);
        for (const [userId, list] of byMember) {
          answers.one.push(await c.applyOne(...keyList(memberKeys(userId)), ...scriptHeader(LIMITS, ''), ...list.flatMap(eventArgs)));
        }
      }
      assert.deepEqual(answers.many, answers.one);
      assert.deepEqual(new Set(answers.one), new Set([1, 0, -1]), 'applied, absent and queued members were all met');
      for (const m of members) {
        const one = await dump(c, `one-${m}`, rv0.get(`one-${m}`) ?? 0);
        assert.deepEqual(await dump(c, `many-${m}`, rv0.get(`many-${m}`) ?? 0), one, m);
      }
      assert.equal(await c.exists(memberKeys('many-absent').state), 0, 'an absent member is left alone');
      assert.ok((await c.llen(memberKeys('many-building').queue)) > 0, 'a member being rebuilt queues its events');
    } finally { c.disconnect(); await state.close(); }
  });
});
