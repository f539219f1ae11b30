import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from './helpers/app.ts';

describe('members API', () => {
  let t: TestApp;
  before(async () => { t = await testApp(); });
  after(async () => { await t.close(); });

  it('PUT stores onboarding answers (201, then 200) and GET shows them with derived state', async () => {
    const profile = { sizes: ['6', '8'], attributes: { bodyType: 'hourglass', heightIn: 66 },
      preferences: { styles: ['minimal'], occasions: ['wedding'], avoid: ['sequins'] },
      upcoming: [{ occasion: 'wedding', date: '2026-06-05' }] };
    const created = await t.app.inject({ method: 'PUT', url: '/v1/users/m1', payload: profile });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(created.json().upcoming, [{ occasion: 'wedding', date: Date.UTC(2026, 5, 5) }]);
    const updated = await t.app.inject({ method: 'PUT', url: '/v1/users/m1', payload: { sizes: ['8'] } });
    assert.equal(updated.statusCode, 200);
    const got = (await t.app.inject({ method: 'GET', url: '/v1/users/m1' })).json();
    assert.deepEqual(got.sizes, ['8']);
    assert.deepEqual(got.preferences, profile.preferences, 'fields an update omits are kept');
    assert.deepEqual(got.stats, { events: 0, rents: 0, hearts: 0, lastEventAt: null });
    assert.deepEqual(got.held, []);
  });

  it('attribute values keep their JSON type: a body is never coerced (170 stays a number, "170" a string)', async () => {
    const attributes = { heightCm: 170, petite: true, bust: '34', note: '170' };
    const put = await t.app.inject({ method: 'PUT', url: '/v1/users/typed', payload: { attributes } });
    assert.equal(put.statusCode, 201, put.body);
    assert.deepEqual(put.json().attributes, attributes);
    assert.deepEqual((await t.store.getUser('typed'))?.attributes, attributes);
    const item = await t.app.inject({ method: 'PUT', url: '/v1/items/typed', payload: { title: 'T', category: 'dress', attributes: { lengthCm: 90, lined: false } } });
    assert.deepEqual(item.json().attributes, { lengthCm: 90, lined: false });
    const badType = await t.app.inject({ method: 'PUT', url: '/v1/users/typed', payload: { sizes: 8 } });
    assert.equal(badType.statusCode, 400, 'a number is not a list of sizes (no coercion to ["8"])');
  });

  it('timestamps are ISO-8601 strings or epoch ms alike (API.md § Conventions): an upcoming date, an item availableFrom', async () => {
    const june5 = Date.UTC(2026, 5, 5);
    for (const date of [june5, '2026-06-05', '2026-06-05T00:00:00Z']) {
      const res = await t.app.inject({ method: 'PUT', url: '/v1/users/dates', payload: { upcoming: [{ occasion: 'wedding', date }] } });
      assert.ok(res.statusCode === 200 || res.statusCode === 201, `${JSON.stringify(date)}: ${res.body}`);
      assert.deepEqual(res.json().upcoming, [{ occasion: 'wedding', date: june5 }], JSON.stringify(date));
    }
    const item = await t.app.inject({ method: 'PUT', url: '/v1/items/dated', payload: { title: 'Gown', category: 'gown', availableFrom: june5 } });
    assert.equal(item.statusCode, 201, item.body);
    assert.equal(item.json().availableFrom, june5);
  });

  it('a member first seen in an event exists, with stats, held items and size profile', async () => {
    const ts = Date.UTC(2026, 2, 1);
    await t.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [
      { id: 'n1', type: 'view', userId: 'fresh', itemId: 'd1', ts },
      { id: 'n2', type: 'heart', userId: 'fresh', itemId: 'd1', ts: ts + 1 },
      { id: 'n3', type: 'rent', userId: 'fresh', itemId: 'd1', ts: ts + 2, size: '8' },
      { id: 'n4', type: 'rent', userId: 'fresh', itemId: 'd2', ts: ts + 3, size: '10' },
      { id: 'n5', type: 'return', userId: 'fresh', itemId: 'd2', ts: ts + 4, size: '10', fit: 'large' },
      { id: 'n5', type: 'return', userId: 'fresh', itemId: 'd2', ts: ts + 4, size: '10', fit: 'large' },
    ] } });
    const got = await t.app.inject({ method: 'GET', url: '/v1/users/fresh' });
    assert.equal(got.statusCode, 200);
    const body = got.json();
    assert.deepEqual(body.stats, { events: 5, rents: 2, hearts: 1, lastEventAt: ts + 4 }, 'the duplicate is not counted');
    assert.deepEqual(body.held, ['d1']);
    assert.deepEqual(body.sizeProfile, { '8': { rents: 1, small: 0, fit: 0, large: 0 }, '10': { rents: 1, small: 0, fit: 0, large: 1 } });
  });

  it('unknown member is a 404 with a code; bad profiles are 400s', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/v1/users/ghost' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'VITRINE_USER_NOT_FOUND');
    const unknown = await t.app.inject({ method: 'PUT', url: '/v1/users/m2', payload: { preferences: { colours: ['red'] } } });
    assert.equal(unknown.json().error.code, 'VITRINE_REQUEST_UNKNOWN_FIELD');
    const badDate = await t.app.inject({ method: 'PUT', url: '/v1/users/m2', payload: { upcoming: [{ occasion: 'party', date: 'soon' }] } });
    assert.equal(badDate.json().error.code, 'VITRINE_USER_INVALID');
    const badId = await t.app.inject({ method: 'PUT', url: '/v1/users/m%202', payload: {} });
    assert.equal(badId.json().error.code, 'VITRINE_REQUEST_BAD_ID');
  });

  it('DELETE forgets the member: profile and events gone', async () => {
    await t.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [{ id: 'f1', type: 'view', userId: 'forgetme', itemId: 'd1' }] } });
    const res = await t.app.inject({ method: 'DELETE', url: '/v1/users/forgetme' });
    assert.equal(res.statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/users/forgetme' })).statusCode, 404);
    assert.equal((await t.store.userStats('forgetme')).events, 0);
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/v1/users/forgetme' })).statusCode, 404);
  });
});
