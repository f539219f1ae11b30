import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from './helpers/app.ts';

describe('operations endpoints', () => {
  let t: TestApp;
  before(async () => { t = await testApp(); });
  after(async () => { await t.close(); });

  it('/healthz is alive; /readyz names the store', async () => {
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready', store: 'sqlite' });
  });

  it('/readyz is 503 with a code when the store is gone', async () => {
    const other = await (await import('./helpers/app.ts')).testApp();
    await other.store.close();
    const res = await other.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(res.statusCode, 503);
    assert.match(res.json().error.code, /^VITRINE_STORE_/);
    await other.app.close();
  });

  it('/openapi.json documents every API.md route with its schemas; /docs serves the UI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/v1/items/{itemId}', '/v1/items/batch', '/v1/items/{itemId}/availability', '/v1/users/{userId}', '/v1/events']) {
      assert.ok(doc.paths[path], `${path} documented`);
    }
    const put = doc.paths['/v1/items/{itemId}'].put;
    assert.deepEqual(put.requestBody.content['application/json'].schema.required, ['title', 'category']);
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });

  it('an unknown route is a 404 with a code', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/nothing' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'VITRINE_ROUTE_NOT_FOUND');
  });

  it('/metrics records request latency per route', async () => {
    await t.app.inject({ method: 'GET', url: '/healthz' });
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(text, /vitrine_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} [1-9]/);
  });
});
