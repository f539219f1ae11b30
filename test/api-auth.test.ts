import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../src/core/config.ts';
import { VitrineError } from '../src/core/errors.ts';
import { buildApp } from '../src/serving/app.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { testApp, type TestApp } from './helpers/app.ts';

const READ = 'read-key-0123456789abcdef';
const WRITE = 'write-key-0123456789abcdef';
const ADMIN = 'admin-key-0123456789abcdef';

describe('auth: scoped API keys', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ config: { auth: { keys: [
      { key: READ, scopes: ['read'] }, { key: WRITE, scopes: ['write'] }, { key: ADMIN, scopes: ['admin'] },
    ] } } });
  });
  after(async () => { await t.close(); });

  const call = (method: 'GET' | 'POST', url: string, key?: string, payload?: object) =>
    t.app.inject({ method, url, payload, headers: key ? { authorization: `Bearer ${key}` } : {} });
  const events = { events: [{ id: 'a1', type: 'view', userId: 'u', itemId: 'i' }] };

  it('missing key → 401 VITRINE_AUTH_MISSING_KEY; wrong key → 401 VITRINE_AUTH_INVALID_KEY', async () => {
    const missing = await call('POST', '/v1/events', undefined, events);
    assert.equal(missing.statusCode, 401);
    assert.equal(missing.json().error.code, 'VITRINE_AUTH_MISSING_KEY');
    const wrong = await call('POST', '/v1/events', 'not-a-key-at-all-000000', events);
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().error.code, 'VITRINE_AUTH_INVALID_KEY');
    assert.equal(await t.store.countEvents(), 0, 'nothing written without a valid key');
  });

  it('a key without the route\'s scope → 403; with it → allowed; admin implies all', async () => {
    const readWrites = await call('POST', '/v1/events', READ, events);
    assert.equal(readWrites.statusCode, 403);
    assert.equal(readWrites.json().error.code, 'VITRINE_AUTH_FORBIDDEN');
    assert.equal((await call('POST', '/v1/events', WRITE, events)).statusCode, 200);
    assert.equal((await call('GET', '/v1/users/u', WRITE)).statusCode, 403);
    assert.equal((await call('GET', '/v1/users/u', READ)).statusCode, 200);
    assert.equal((await call('GET', '/v1/users/u', ADMIN)).statusCode, 200);
  });

  it('health, readiness, metrics and docs are public', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics', '/openapi.json']) {
      assert.equal((await call('GET', url)).statusCode, 200, url);
    }
  });
});

describe('auth: binding without keys', () => {
  it('refuses to build on a non-loopback address without keys', async () => {
    const store = new SqliteStore(':memory:');
    const config = resolveConfig({ server: { host: '0.0.0.0' } });
    await assert.rejects(buildApp({ config, store, logger: false }),
      (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_CONFIG_UNSAFE_BIND');
    const withKeys = resolveConfig({ server: { host: '0.0.0.0' }, auth: { keys: [{ key: ADMIN, scopes: ['admin'] }] } });
    const { app } = await buildApp({ config: withKeys, store, logger: false });
    await app.close();
    await store.close();
  });

  it('runs open on loopback without keys, and says so in its log', async () => {
    const lines: string[] = [];
    const store = new SqliteStore(':memory:');
    const { app } = await buildApp({ config: resolveConfig(), store, logger: { level: 'warn', stream: { write: (l: string) => lines.push(l) } } });
    const res = await app.inject({ method: 'POST', url: '/v1/events', payload: { events: [{ id: 'x', type: 'view', userId: 'u' }] } });
    assert.equal(res.statusCode, 200);
    assert.ok(lines.some((l) => /API is open/.test(l)), 'the open mode is logged');
    await app.close();
    await store.close();
  });
});
