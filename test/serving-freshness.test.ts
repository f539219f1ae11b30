/** vitrine_freshness_seconds: an event's request plus its member's first page asked for after it (docs/operations.md § Freshness). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FreshnessTracker } from '../src/serving/freshness.ts';
import { testApp, type TestApp } from './helpers/app.ts';

/** A tracker on a clock moved by hand, and what it observed. */
function tracker(maxPending?: number) {
  let clock = 0;
  const seen: number[] = [];
  const t = new FreshnessTracker((s) => seen.push(s), { now: () => clock, ...(maxPending ? { maxPending } : {}) });
  return { t, seen, at: (ms: number) => { clock = ms; } };
}

describe('FreshnessTracker', () => {
  it('adds the event\'s request to the first page asked for after its acceptance, once', () => {
    const { t, seen, at } = tracker();
    at(130);
    t.accepted(['ada'], 100); // the event took 30 ms
    at(140);
    t.pageSent('ada', 125); // asked for before the acceptance: may not show the event
    assert.deepEqual(seen, []);
    at(210);
    t.pageSent('ada', 200); // 10 ms page
    assert.deepEqual(seen, [0.04]);
    at(300);
    t.pageSent('ada', 290);
    assert.deepEqual(seen, [0.04], 'later pages are not the first to show it');
    assert.equal(t.waiting, 0);
  });

  it('keeps a member\'s oldest unseen event, ignores members with none', () => {
    const { t, seen, at } = tracker();
    at(10);
    t.accepted(['bea'], 5);
    at(50);
    t.accepted(['bea'], 48);
    t.pageSent('cy', 0);
    at(60);
    t.pageSent('bea', 55);
    assert.deepEqual(seen, [0.01], '5 ms event + 5 ms page, from the first event');
  });

  it('lets the oldest member go when full', () => {
    const { t, seen, at } = tracker(2);
    t.accepted(['a', 'b', 'c'], 0);
    assert.equal(t.waiting, 2);
    at(1);
    t.pageSent('a', 1);
    t.pageSent('c', 1);
    assert.deepEqual(seen, [0]);
  });
});

describe('freshness on the server', () => {
  let t: TestApp;
  before(async () => { t = await testApp(); });
  after(async () => { await t.close(); });

  const count = async () => {
    const text = (await t.app.inject({ url: '/metrics' })).body;
    return Number(/^vitrine_freshness_seconds_count (\S+)$/m.exec(text)?.[1]);
  };

  it('observes one value per event that a page then shows; rejected events and other members count nothing', async () => {
    assert.equal(await count(), 0);
    const events = await t.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [
      { id: 'f1', type: 'click', userId: 'fresh-1', itemId: 'x1' },
      { id: 'f2', type: 'no-such-type', userId: 'fresh-2', itemId: 'x1' },
    ] } });
    assert.equal(events.json().accepted, 1, events.body);
    assert.equal((await t.app.inject({ url: '/v1/users/fresh-2/page' })).statusCode, 200);
    assert.equal(await count(), 0, 'fresh-2\'s event was rejected');
    assert.equal((await t.app.inject({ url: '/v1/users/fresh-1/page' })).statusCode, 200);
    assert.equal(await count(), 1);
    assert.equal((await t.app.inject({ url: '/v1/users/fresh-1/page' })).statusCode, 200);
    assert.equal(await count(), 1, 'only the first page after the event');
  });
});
