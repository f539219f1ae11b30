/**
 * The member-state contract: what every OnlineState implementation (in-process, Redis, Redis
 * Cluster) must answer, with known answers. Events reach the state the way ingest sends them: stored
 * first (the store drops duplicate ids), then the accepted ones applied.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { VitrineEvent } from '../src/core/types.ts';
import type { MemberSnapshot, OnlineState } from '../src/serving/engine/contracts.ts';
import { openStore } from '../src/storage/open-store.ts';
import type { Store } from '../src/storage/store.ts';
import { PrivateRedis } from './helpers/private-redis.ts';

export interface StateHarness {
  state: OnlineState;
  /** the state lost (a process restarted, Redis restarted empty): a state to read from afterwards */
  loseState(): Promise<OnlineState>;
  close(): Promise<void>;
}

export type StateFactory = (store: Store) => Promise<StateHarness>;

export const T0 = Date.UTC(2026, 5, 1);
export const MIN = 60_000;

/** Stores the events, then applies those the store accepted (what ingest does before the 200). */
export async function ingest(store: Store, state: OnlineState, events: readonly VitrineEvent[]): Promise<void> {
  const { duplicates } = await store.appendEvents(events);
  const dup = new Set(duplicates);
  await state.apply(events.filter((_, i) => !dup.has(i)));
}

/** What a page can see of a snapshot, in a comparable form (no revision: implementations number differently). */
export function visible(s: MemberSnapshot): Record<string, unknown> {
  return {
    known: s.known, sizes: s.sizes, preferences: s.preferences, upcoming: s.upcoming,
    held: [...s.held].sort(), returned: [...s.returned].sort(), purchased: [...s.purchased].sort(), dismissed: [...s.dismissed].sort(),
    recent: s.recent.map((r) => ({ ...r })), lastEventAt: s.lastEventAt, fitReports: s.fitReports ?? 0, segment: s.segment,
  };
}

export function memberStateContract(name: string, factory: StateFactory, opts: { skip?: string | false } = {}): void {
  describe(`member-state contract: ${name}`, { skip: opts.skip ?? false }, () => {
    let store: Store;
    let h: StateHarness;
    // members are new in every test (a shared Redis keeps earlier tests' members)
    let run = '';
    const u = (name: string): string => `${run}-${name}`;
    const e = (id: string, userId: string, type: VitrineEvent['type'], itemId: string, ts: number, more: Partial<VitrineEvent> = {}): VitrineEvent =>
      ({ id: `${run}-${id}`, userId, type, itemId, ts, ...more });

    beforeEach(async () => {
      run = randomBytes(4).toString('hex');
      store = await openStore('sqlite::memory:');
      h = await factory(store);
    });
    afterEach(async () => {
      await h.close();
      await store.close();
    });
    after(() => undefined);

    it('holds a rented item, with the rental first in recent and its size learned', async () => {
      const m = u('renter');
      assert.equal((await h.state.get(m)).known, false, 'a member the store does not know is cold');
      await ingest(store, h.state, [e('r1', m, 'rent', 'dress-1', T0, { size: '8', occasion: 'wedding' })]);
      const s = await h.state.get(m);
      assert.deepEqual([...s.held], ['dress-1']);
      assert.deepEqual(s.recent, [{ itemId: 'dress-1', type: 'rent', ts: T0, weight: 1, size: '8', occasion: 'wedding' }]);
      assert.deepEqual(s.sizes, ['8']);
      assert.equal(s.segment, 'size:8|tenure:regular');
      assert.equal(s.lastEventAt, T0);
      assert.equal(s.known, true);
    });

    it('moves a returned item from held to returned, with the return ts', async () => {
      const m = u('returner');
      await h.state.get(m);
      await ingest(store, h.state, [e('r1', m, 'rent', 'dress-1', T0), e('r2', m, 'rent', 'dress-2', T0 + MIN)]);
      await ingest(store, h.state, [e('x1', m, 'return', 'dress-1', T0 + 2 * MIN, { size: '8', fit: 'fit' })]);
      const s = await h.state.get(m);
      assert.deepEqual([...s.held], ['dress-2']);
      assert.deepEqual([...s.returned], [['dress-1', T0 + 2 * MIN]]);
      assert.equal(s.fitReports, 1);
      assert.deepEqual(s.sizes, ['8'], 'a fit report of "fit" teaches the size');
    });

    it('counts an event sent twice once', async () => {
      const m = u('twice');
      await h.state.get(m);
      const rents = [1, 2, 3].map((i) => e(`r${i}`, m, 'rent', `dress-${i}`, T0 + i * MIN, { size: '8' }));
      await ingest(store, h.state, rents);
      await ingest(store, h.state, rents.slice(0, 2));
      const s = await h.state.get(m);
      // five rentals would make the member "loyal"
      assert.equal(s.segment, 'size:8|tenure:regular');
      assert.equal(s.recent.length, 3);
      assert.equal(await store.countEvents(), 3);
    });

    it('gives the same snapshot whatever order the events arrive in', async () => {
      const inOrder = u('in-order');
      const reversed = u('reversed');
      await h.state.get(inOrder);
      await h.state.get(reversed);
      const history = (m: string, tag: string): VitrineEvent[] => [
        e(`${tag}1`, m, 'rent', 'a', T0, { size: '8' }),
        e(`${tag}2`, m, 'heart', 'b', T0 + 1 * MIN),
        e(`${tag}3`, m, 'return', 'a', T0 + 2 * MIN, { size: '8', fit: 'small' }),
        e(`${tag}4`, m, 'rent', 'c', T0 + 3 * MIN, { size: '10' }),
        e(`${tag}5`, m, 'click', 'd', T0 + 4 * MIN),
        e(`${tag}6`, m, 'dismiss', 'e', T0 + 5 * MIN),
        e(`${tag}7`, m, 'purchase', 'b', T0 + 6 * MIN, { size: '10' }),
        e(`${tag}8`, m, 'view', 'f', T0 + 7 * MIN),
      ];
      for (const ev of history(inOrder, 'f')) await ingest(store, h.state, [ev]);
      for (const ev of history(reversed, 'b').reverse()) await ingest(store, h.state, [ev]);
      const a = await h.state.get(inOrder);
      const b = await h.state.get(reversed);
      assert.deepEqual(visible(b), visible(a));
      // and the answer itself
      assert.deepEqual([...a.held], ['c']);
      assert.deepEqual([...a.returned], [['a', T0 + 2 * MIN]]);
      assert.deepEqual([...a.purchased], ['b']);
      assert.deepEqual([...a.dismissed], ['e']);
      assert.deepEqual(a.recent.map((r) => `${r.type}:${r.itemId}`), ['purchase:b', 'click:d', 'rent:c', 'heart:b', 'rent:a']);
      assert.equal(a.lastEventAt, T0 + 7 * MIN);
      assert.deepEqual(a.sizes, ['10', '8'], 'size 10: a rental; size 8: a rental and a "small" report (1 − ½)');
    });

    it('rebuilds a member from the store with the same snapshot once the state is lost', async () => {
      const m = u('rebuilt');
      await store.upsertUser(m, { sizes: ['6'], preferences: { styles: ['boho'] }, upcoming: [{ occasion: 'gala', date: T0 + 30 * 86_400_000 }] }, T0);
      await h.state.get(m);
      await h.state.applyProfile(m);
      await ingest(store, h.state, [
        e('r1', m, 'rent', 'a', T0, { size: '6' }), e('h1', m, 'heart', 'b', T0 + MIN), e('x1', m, 'return', 'a', T0 + 2 * MIN),
        e('r2', m, 'rent', 'c', T0 + 3 * MIN, { size: '6' }),
      ]);
      const before = await h.state.get(m);
      assert.deepEqual(before.sizes, ['6']);
      assert.deepEqual(before.preferences, { styles: ['boho'] });
      assert.deepEqual(before.upcoming, [{ occasion: 'gala', date: T0 + 30 * 86_400_000 }]);
      const fresh = await h.loseState();
      const afterLoss = await fresh.get(m);
      assert.deepEqual(visible(afterLoss), visible(before));
      assert.deepEqual([...afterLoss.held], ['c']);
      assert.notEqual(afterLoss.revision, before.revision, 'a rebuilt member never reuses a revision (page caches are keyed by it)');
    });

    it('sees a profile change and a forgotten member', async () => {
      const m = u('profile');
      await store.upsertUser(m, { sizes: ['4'] }, T0);
      assert.deepEqual((await h.state.get(m)).sizes, ['4']);
      const r0 = (await h.state.get(m)).revision;
      await store.upsertUser(m, { sizes: ['12'] }, T0 + 1);
      await h.state.applyProfile(m);
      const s = await h.state.get(m);
      assert.deepEqual(s.sizes, ['12']);
      assert.notEqual(s.revision, r0);
      await store.forgetUser(m);
      await h.state.forget(m);
      assert.equal((await h.state.get(m)).known, false);
    });
  });
}

/**
 * For one describe block: a private Redis and an in-memory SQLite store, started before its tests and
 * stopped after them; `set` receives both once they are up.
 */
export function privateRedisWithStore(set: (redis: PrivateRedis, store: Store) => void): void {
  let redis: PrivateRedis | undefined;
  let store: Store | undefined;
  before(async () => {
    redis = await PrivateRedis.start();
    store = await openStore('sqlite::memory:');
    set(redis, store);
  });
  after(async () => {
    await store?.close();
    await redis?.stop();
  });
}
