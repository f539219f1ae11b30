import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { VitrineEvent } from '../src/core/types.ts';
import type { Model } from '../src/ml/model.ts';
import type { MemberSnapshot, ModelHandle } from '../src/serving/engine/contracts.ts';
import { MemberStateStore, type OnlineStateOptions } from '../src/serving/online/online-state.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import type { Store } from '../src/storage/store.ts';
import { localReplica, testApp, type TestApp } from './helpers/app.ts';
import { deferred } from './helpers/deferred.ts';

const NOW = Date.UTC(2026, 10, 28, 12);
const H = 3_600_000;
const OPTS: OnlineStateOptions = { capacity: 1000, recentLimit: 200, hydrateEvents: 1000, foldInCacheSize: 100 };

type Ev = Omit<VitrineEvent, 'userId'>;
const ev = (id: string, type: VitrineEvent['type'], itemId: string | undefined, ts: number, extra: Partial<VitrineEvent> = {}): Ev =>
  ({ id, type, ...(itemId ? { itemId } : {}), ts, ...extra });

/** One member's history touching every kind of state, in arrival order. */
function history(userId: string): VitrineEvent[] {
  const t0 = NOW - 100 * H;
  return [
    ev('h1', 'view', 'd0', t0),
    ev('h2', 'rent', 'd1', t0 + 1 * H, { size: '8', occasion: 'wedding' }),
    ev('h3', 'heart', 'd2', t0 + 2 * H),
    ev('h4', 'rent', 'd3', t0 + 3 * H, { size: '10' }),
    ev('h5', 'return', 'd3', t0 + 4 * H, { size: '10', fit: 'small' }),
    ev('h6', 'heart', 'd4', t0 + 5 * H),
    ev('h7', 'unheart', 'd4', t0 + 6 * H),
    ev('h8', 'dismiss', 'd5', t0 + 7 * H),
    ev('h9', 'purchase', 'd6', t0 + 8 * H),
    ev('h10', 'rent', 'd7', t0 + 9 * H, { size: '8', fit: 'fit' }),
    ev('h11', 'click', 'd8', t0 + 10 * H),
    ev('h12', 'impression', undefined, t0 + 11 * H),
  ].map((e) => ({ ...e, userId }));
}

/** A snapshot without its revision (a process-wide counter, different in every instance). */
function comparable(s: MemberSnapshot): Omit<MemberSnapshot, 'revision'> {
  const { revision: _revision, ...rest } = s;
  return rest;
}

describe('online member state through the API', () => {
  let t: TestApp;
  before(async () => { t = await testApp({ now: NOW }); });
  after(async () => { await t.close(); });

  const post = (events: unknown[]) => t.app.inject({ method: 'POST', url: '/v1/events', payload: { events } });

  it('a rent is in the member\'s snapshot inside the ingest call, before the 200: held, and first in recent', async () => {
    await t.app.inject({ method: 'PUT', url: '/v1/users/m1', payload: { sizes: ['8'] } });
    const before = await localReplica(t).online.get('m1');
    assert.equal(before.known, true);
    assert.deepEqual([...before.held], []);
    // a listener registered after online state's runs after it and before the ingest call returns
    let seenInside: MemberSnapshot | undefined;
    t.context.ingestor.onAccepted(async (events) => {
      if (events.some((e) => e.id === 'r1')) seenInside = await localReplica(t).online.get('m1');
    });
    const res = await post([{ id: 'r1', type: 'rent', userId: 'm1', itemId: 'dress-1', size: '8', ts: NOW - 1000 }]);
    assert.equal(res.statusCode, 200);
    assert.ok(seenInside, 'the listener ran inside the ingest call');
    assert.deepEqual([...seenInside.held], ['dress-1']);
    assert.deepEqual(seenInside.recent[0], { itemId: 'dress-1', type: 'rent', ts: NOW - 1000, weight: 1, size: '8' });
    assert.ok(seenInside.revision > before.revision);
    assert.equal(seenInside.lastEventAt, NOW - 1000);
  });

  it('a return leaves held and is recorded in returned; a dismiss is in dismissed', async () => {
    await post([
      { id: 'r2', type: 'return', userId: 'm1', itemId: 'dress-1', ts: NOW - 500 },
      { id: 'x1', type: 'dismiss', userId: 'm1', itemId: 'dress-9', ts: NOW - 400 },
    ]);
    const s = await localReplica(t).online.get('m1');
    assert.deepEqual([...s.held], []);
    assert.deepEqual([...s.returned], [['dress-1', NOW - 500]]);
    assert.deepEqual([...s.dismissed], ['dress-9']);
    assert.equal(s.recent[0].itemId, 'dress-1', 'a return is not a positive: the rent stays the newest');
  });

  it('dated occasions are each member\'s own, even with the same sizes and styles, and an update replaces them', async () => {
    const wedding = { occasion: 'wedding', date: NOW + 10 * 24 * H };
    const gala = { occasion: 'gala', date: NOW + 20 * 24 * H };
    const put = (id: string, upcoming: unknown[]) =>
      t.app.inject({ method: 'PUT', url: `/v1/users/${id}`, payload: { sizes: ['6'], preferences: { styles: ['boho'] }, upcoming } });
    await put('o1', [wedding, gala]);
    await put('o2', []);
    const [o1, o2] = [await localReplica(t).online.get('o1'), await localReplica(t).online.get('o2')];
    assert.deepEqual(o1.upcoming, [wedding, gala]);
    assert.deepEqual(o2.upcoming, []);
    assert.deepEqual([o1.sizes, o1.preferences], [o2.sizes, o2.preferences], 'the shared part');
    await put('o1', [gala]);
    assert.deepEqual((await localReplica(t).online.get('o1')).upcoming, [gala], 'replaced, not added to');
    assert.deepEqual((await new MemberStateStore(t.context.store, OPTS).get('o1')).upcoming, [gala], 'hydrated alike');
  });

  it('a profile update is seen at once; forgetting the member clears the state', async () => {
    await t.app.inject({ method: 'PUT', url: '/v1/users/m1', payload: { sizes: ['10', '12'] } });
    assert.deepEqual((await localReplica(t).online.get('m1')).sizes, ['10', '12']);
    const inMemory = localReplica(t).online.size();
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/v1/users/m1' })).statusCode, 200);
    assert.equal(localReplica(t).online.size(), inMemory - 1);
    const gone = await localReplica(t).online.get('m1');
    assert.equal(gone.known, false);
    assert.deepEqual([gone.recent.length, gone.returned.size, gone.dismissed.size, gone.sizes.length], [0, 0, 0, 0]);
  });
});

describe('online member state: metrics', () => {
  it('/metrics reports the members in memory', async () => {
    const t = await testApp({ now: NOW });
    try {
      await localReplica(t).online.get('a');
      await localReplica(t).online.get('b');
      const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      assert.match(text, /^vitrine_online_members 2$/m);
      assert.match(text, /^vitrine_online_list_bytes \d+$/m);
    } finally {
      await t.close();
    }
  });
});

describe('online member state: hydration, bounds, fold-in', () => {
  let dir: string;
  let store: SqliteStore;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-online-'));
    store = new SqliteStore(join(dir, 'v.db'));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Stores events and hands them to the state, as the ingest pipeline does. */
  const ingest = async (state: MemberStateStore, events: VitrineEvent[]) => {
    await store.appendEvents(events);
    state.apply(events);
  };

  it('hydrating from the store gives exactly the state built event by event', async () => {
    const live = new MemberStateStore(store, OPTS);
    assert.equal((await live.get('h')).known, false, 'first access: nobody yet');
    const events = history('h');
    for (let k = 0; k < events.length; k += 3) await ingest(live, events.slice(k, k + 3));
    const incremental = await live.get('h');
    const hydrated = await new MemberStateStore(store, OPTS).get('h');
    assert.deepEqual(comparable(hydrated), comparable(incremental));
    // the known answer, field by field
    assert.deepEqual([...incremental.held], ['d1', 'd7']);
    assert.deepEqual([...incremental.returned.keys()], ['d3']);
    assert.deepEqual([...incremental.purchased], ['d6']);
    assert.deepEqual([...incremental.dismissed], ['d5']);
    assert.deepEqual(incremental.recent.map((r) => `${r.type}:${r.itemId}`),
      ['click:d8', 'rent:d7', 'purchase:d6', 'rent:d3', 'heart:d2', 'rent:d1'], 'newest first; the unhearted heart is gone');
    assert.equal(incremental.recent[5].occasion, 'wedding');
    // size 8: two rentals + a "fit" report; size 10: one rental − ½ for "small"
    assert.deepEqual(incremental.sizes, ['8', '10']);
    assert.equal(incremental.segment, 'size:8|tenure:regular');
    // the last action: the closing impression is what the member was shown, not something they did
    assert.equal(incremental.lastEventAt, events.find((e) => e.id === 'h11')?.ts);
  });

  it('a member with more events than the hydration window still gets held items, sizes and tenure from the store', async () => {
    const full = await new MemberStateStore(store, OPTS).get('h');
    const windowed = await new MemberStateStore(store, { ...OPTS, hydrateEvents: 3 }).get('h');
    assert.deepEqual([...windowed.held].sort(), [...full.held].sort());
    assert.deepEqual(windowed.sizes, full.sizes);
    assert.equal(windowed.segment, full.segment);
    assert.equal(windowed.lastEventAt, full.lastEventAt);
    assert.deepEqual(windowed.recent.map((r) => r.itemId), ['d8', 'd7'], 'recent holds only what the window read');
  });

  it('events accepted while a member is being read are applied once, whether or not the read saw them', async () => {
    const gate = deferred();
    // reads at once, answers when the gate opens: events stored meanwhile are missed by the read
    const slow: Store = Object.create(store, {
      userEvents: { value: async (...args: Parameters<Store['userEvents']>) => { const r = await store.userEvents(...args); await gate.promise; return r; } },
    });
    const state = new MemberStateStore(slow, OPTS);
    const seen = { id: 'race-1', type: 'rent', userId: 'race', itemId: 'a', ts: NOW - 2000 } as VitrineEvent;
    await store.appendEvents([seen]);
    const reading = state.get('race'); // the read sees race-1 …
    state.apply([seen]); // … whose listener only runs now
    const missed = { id: 'race-2', type: 'heart', userId: 'race', itemId: 'b', ts: NOW - 1000 } as VitrineEvent;
    await store.appendEvents([missed]);
    state.apply([missed]);
    gate.resolve();
    assert.deepEqual((await reading).recent.map((r) => r.itemId), ['b', 'a'], 'each event exactly once');
    assert.deepEqual([...(await reading).held], ['a']);
  });

  it('holds at most `capacity` members, least recently used out first; an evicted member is read back intact', async () => {
    const state = new MemberStateStore(store, { ...OPTS, capacity: 2 });
    const before = await state.get('h');
    await state.get('race');
    await state.get('h'); // h is now the most recent: race goes next
    await state.get('nobody');
    assert.equal(state.size(), 2);
    assert.deepEqual([state.has('h'), state.has('race'), state.has('nobody')], [true, false, true]);
    const events: VitrineEvent[] = [{ id: 'lru-1', type: 'rent', userId: 'race', itemId: 'z', ts: NOW }];
    await ingest(state, events); // race is not in memory: skipped, the store has it
    assert.equal(state.has('race'), false);
    assert.deepEqual((await state.get('race')).recent.map((r) => r.itemId), ['z', 'b', 'a']);
    assert.deepEqual(comparable(await state.get('h')), comparable(before));
  });

  it('the recent list is bounded, newest kept', async () => {
    const state = new MemberStateStore(store, { ...OPTS, recentLimit: 5 });
    await state.get('busy');
    const events = Array.from({ length: 40 }, (_, k): VitrineEvent => ({ id: `b${k}`, type: 'click', userId: 'busy', itemId: `i${k}`, ts: NOW - 1000 + k }));
    await ingest(state, events);
    assert.deepEqual((await state.get('busy')).recent.map((r) => r.itemId), ['i39', 'i38', 'i37', 'i36', 'i35']);
  });

  it('fold-in vectors are computed from recent positives once per state and model version', async () => {
    const state = new MemberStateStore(store, OPTS);
    const calls: Array<Array<{ itemId: string; weight?: number }>> = [];
    const model = { foldIn: (xs: Array<{ itemId: string; weight?: number }>) => { calls.push(xs); return Float32Array.of(xs.length, 1); } } as unknown as Model;
    const handle: ModelHandle = { version: 'v1', algorithm: 'als', model };
    const s1 = await state.get('h');
    assert.deepEqual(Array.from(state.foldIn(s1, handle) ?? []), [6, 1]);
    state.foldIn(s1, handle);
    assert.equal(calls.length, 1, 'cached');
    assert.deepEqual(calls[0].slice(0, 2), [{ itemId: 'd8', weight: 0.3 }, { itemId: 'd7', weight: 1 }]);
    await ingest(state, [{ id: 'f1', type: 'heart', userId: 'h', itemId: 'd9', ts: NOW }]);
    assert.deepEqual(Array.from(state.foldIn(await state.get('h'), handle) ?? []), [7, 1], 'a new positive: recomputed');
    state.foldIn(await state.get('h'), { ...handle, version: 'v2' });
    assert.equal(calls.length, 3, 'a new model version: recomputed');
    const broken: ModelHandle = { version: 'v3', algorithm: 'als', model: { foldIn: () => Float32Array.of(NaN, 1) } as unknown as Model };
    assert.equal(state.foldIn(await state.get('h'), broken), undefined, 'a non-finite vector is never served');
  });
});
