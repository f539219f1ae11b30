import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from './helpers/app.ts';

const NOW = Date.UTC(2026, 10, 28, 12);

describe('events API', () => {
  let t: TestApp;
  before(async () => { t = await testApp({ now: NOW, config: { server: { host: '127.0.0.1', port: 0, bodyLimitBytes: 64 * 1024 } } }); });
  after(async () => { await t.close(); });

  const post = (payload: unknown) => t.app.inject({ method: 'POST', url: '/v1/events', payload: payload as object });

  it('one bad event is reported with its index and code; the rest of the batch is stored', async () => {
    const res = await post({ events: [
      { id: 'ok1', type: 'view', userId: 'u1', itemId: 'i1', ts: NOW - 1000 },
      { id: 'bad-type', type: 'like', userId: 'u1', itemId: 'i1' },
      { id: 'bad-fit', type: 'return', userId: 'u1', itemId: 'i1', fit: 'tight' },
      { id: 'future', type: 'view', userId: 'u1', itemId: 'i1', ts: NOW + 10 * 60_000 },
      { id: 'skew-ok', type: 'view', userId: 'u1', itemId: 'i1', ts: NOW + 60_000 },
      { id: 'bad id!', type: 'view', userId: 'u1', itemId: 'i1' },
      { id: 'extra', type: 'view', userId: 'u1', itemId: 'i1', colour: 'red' },
      { id: 'no-item', type: 'rent', userId: 'u1' },
      { id: 'bad-ts', type: 'view', userId: 'u1', itemId: 'i1', ts: 'yesterday' },
      'not an object',
      { id: 'ok2', type: 'impression', userId: 'u1', context: { pageId: 'p1', rowId: 'r1', position: 2 } },
    ] });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.accepted, 3);
    assert.equal(body.duplicates, 0);
    assert.deepEqual(body.rejected.map((r: { index: number; code: string }) => [r.index, r.code]), [
      [1, 'VITRINE_EVENT_BAD_TYPE'], [2, 'VITRINE_EVENT_BAD_FIT'], [3, 'VITRINE_EVENT_TS_FUTURE'],
      [5, 'VITRINE_EVENT_BAD_ID'], [6, 'VITRINE_EVENT_UNKNOWN_FIELD'], [7, 'VITRINE_EVENT_MISSING_ITEM'],
      [8, 'VITRINE_EVENT_BAD_TIMESTAMP'], [9, 'VITRINE_EVENT_INVALID'],
    ]);
    const stored = (await t.store.userEvents('u1')).map((e) => e.id).sort();
    assert.deepEqual(stored, ['ok1', 'ok2', 'skew-ok']);
  });

  it('an event id seen before is a duplicate, not a second event', async () => {
    const res = await post({ events: [{ id: 'ok1', type: 'view', userId: 'u1', itemId: 'i1' }, { id: 'ok3', type: 'heart', userId: 'u1', itemId: 'i1' }] });
    assert.deepEqual(res.json(), { accepted: 1, duplicates: 1, rejected: [] });
    // ok1, skew-ok and ok3 are u1's actions; the impression ok2 is stored but stats count actions only
    assert.equal((await t.store.userStats('u1')).events, 3);
    assert.equal((await t.store.userEvents('u1', { types: ['impression'] })).length, 1);
  });

  it('an event for an unknown item creates a placeholder item, not recommendable until catalogued', async () => {
    await post({ events: [{ id: 'ph', type: 'click', userId: 'u2', itemId: 'never-catalogued' }] });
    const item = await t.app.inject({ method: 'GET', url: '/v1/items/never-catalogued' });
    assert.equal(item.statusCode, 200);
    assert.equal(item.json().placeholder, true);
  });

  it('timestamps: ISO strings and epoch ms both stored as epoch ms; missing ts means now', async () => {
    await post({ events: [
      { id: 't-iso', type: 'view', userId: 'u3', itemId: 'i', ts: '2026-11-01T10:00:00Z' },
      { id: 't-ms', type: 'view', userId: 'u3', itemId: 'i', ts: Date.UTC(2026, 10, 2) },
      { id: 't-none', type: 'view', userId: 'u3', itemId: 'i' },
    ] });
    const byId = Object.fromEntries((await t.store.userEvents('u3')).map((e) => [e.id, e.ts]));
    assert.deepEqual(byId, { 't-iso': Date.UTC(2026, 10, 1, 10), 't-ms': Date.UTC(2026, 10, 2), 't-none': NOW });
  });

  it('malformed JSON is a 400 with a code, and nothing is stored', async () => {
    const before = await t.store.countEvents();
    const res = await t.app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'application/json' },
      payload: '{"events": [{"id": "x", "type": "view", "userId": "u"}' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'VITRINE_REQUEST_INVALID_JSON');
    assert.equal(await t.store.countEvents(), before);
  });

  it('unknown top-level fields and oversized batches are 400s; bodies over the limit are 413', async () => {
    const extra = await post({ events: [{ id: 'z', type: 'view', userId: 'u' }], source: 'web' });
    assert.equal(extra.statusCode, 400);
    assert.equal(extra.json().error.code, 'VITRINE_REQUEST_UNKNOWN_FIELD');
    const tooMany = await post({ events: Array.from({ length: 1001 }, (_, i) => ({ id: `m${i}`, type: 'view', userId: 'u' })) });
    assert.equal(tooMany.statusCode, 400);
    const big = await post({ events: Array.from({ length: 900 }, (_, i) => ({ id: `big-${i}`, type: 'view', userId: 'u', itemId: 'x'.repeat(100) })) });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().error.code, 'VITRINE_REQUEST_TOO_LARGE');
    const empty = await post({ events: [] });
    assert.equal(empty.statusCode, 400);
  });

  it('/metrics counts ingested, duplicate and rejected events by code', async () => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(text, /vitrine_events_ingested_total \d+/);
    assert.match(text, /vitrine_events_rejected_total\{code="VITRINE_EVENT_BAD_TYPE"\} 1/);
    assert.match(text, /vitrine_events_duplicate_total 1/);
    assert.match(text, /vitrine_http_request_duration_seconds_bucket\{.*route="\/v1\/events"/);
  });
});
