/**
 * Issue 20 item 4: every route's scope exactly as ADR 0003 says (docs/decisions/0003-api-key-scopes.md):
 * `read` (recommendations, reads), `write` (events, catalogue, members), `admin` (carousels, pages,
 * models, experiments; implies the other two); health, readiness, metrics, the OpenAPI document and
 * the UI's files are public. A table of every route in /openapi.json × every kind of key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from './helpers/app.ts';

// any: a valid key of any scope (GET /v1/session, which tells the console what the key may do)
type Needed = 'public' | 'any' | 'read' | 'write' | 'admin';
const KEYS = {
  read: 'scope-read-key-0123456789',
  write: 'scope-write-key-0123456789',
  'read+write': 'scope-readwrite-key-0123456789',
  admin: 'scope-admin-key-0123456789',
} as const;
type KeyName = keyof typeof KEYS;
const SCOPES: Record<KeyName, ReadonlySet<Needed>> = {
  read: new Set(['any', 'read']), write: new Set(['any', 'write']), 'read+write': new Set(['any', 'read', 'write']), admin: new Set(['any', 'read', 'write', 'admin']),
};

/** What ADR 0003 says a route needs, from its method and path alone. */
function adrScope(method: string, path: string): Needed {
  if (!path.startsWith('/v1/')) return 'public';
  if (path === '/v1/session') return 'any';
  if (/^\/v1\/(carousels|pages|models|jobs|experiments)(\/|$)/.test(path)) return 'admin';
  // ranking a list of items is a recommendation, however it is sent
  if (method === 'GET' || path.endsWith('/rank')) return 'read';
  return 'write';
}

// routes the OpenAPI document hides: the document itself and the UI's files
const HIDDEN_PUBLIC = [['GET', '/openapi.json'], ['GET', '/'], ['GET', '/ui/vitrine-client.js'],
  ['GET', '/admin'], ['GET', '/admin/models'], ['GET', '/admin/assets/console.js'], ['GET', '/admin/assets/console.css']] as const;

describe('scopes for every route (ADR 0003)', () => {
  let t: TestApp;
  let routes: Array<{ method: string; path: string; url: string }>;
  before(async () => {
    t = await testApp({ config: { auth: { keys: [
      { key: KEYS.read, scopes: ['read'] }, { key: KEYS.write, scopes: ['write'] },
      { key: KEYS['read+write'], scopes: ['read', 'write'] }, { key: KEYS.admin, scopes: ['admin'] },
    ] } } });
    const doc = (await t.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods)
      .filter((m) => m !== 'head')
      .map((m) => ({ method: m.toUpperCase(), path, url: path.replace(/\{[^}]+\}/g, 'probe-1') })));
    for (const [method, path] of HIDDEN_PUBLIC) routes.push({ method, path, url: path });
  });
  after(async () => { await t.close(); });

  const call = (method: string, url: string, key?: string) => t.app.inject({
    method: method as 'GET', url,
    // an unknown field: every body is refused after the scope check, so no allowed call changes anything
    ...(method === 'GET' || method === 'DELETE' ? {} : { payload: { probeField: true } }),
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });

  it('the document lists the routes of every area', () => {
    const needed = new Set(routes.map((r) => adrScope(r.method, r.path)));
    assert.deepEqual([...needed].sort(), ['admin', 'any', 'public', 'read', 'write']);
    assert.ok(routes.length >= 40, `${routes.length} routes`);
  });

  it('no key → 401 on every scoped route; each key → 403 exactly where its scopes fall short', async () => {
    const wrong: string[] = [];
    for (const { method, path, url } of routes) {
      const needed = adrScope(method, path);
      const anonymous = (await call(method, url)).statusCode;
      if ((needed === 'public') !== (anonymous !== 401)) wrong.push(`${method} ${path} without a key: ${anonymous}`);
      if (needed === 'public') continue;
      for (const [name, key] of Object.entries(KEYS) as Array<[KeyName, string]>) {
        const status = (await call(method, url, key)).statusCode;
        const allowed = SCOPES[name].has(needed);
        if (allowed ? status === 401 || status === 403 : status !== 403) wrong.push(`${method} ${path} (${needed}) with a ${name} key: ${status}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('PUT /v1/users/{id}: a write-only key gets {id, status}, no member view; a key that can read gets the view', async () => {
    const put = (key: string, payload: object) => t.app.inject({ method: 'PUT', url: '/v1/users/scoped-ada', payload, headers: { authorization: `Bearer ${key}` } });
    const created = await put(KEYS.write, { sizes: ['8'], attributes: { bodyType: 'petite' } });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(created.json(), { id: 'scoped-ada', status: 'created' });
    const updated = await put(KEYS.write, {});
    assert.deepEqual([updated.statusCode, updated.json()], [200, { id: 'scoped-ada', status: 'updated' }]);
    for (const key of [KEYS['read+write'], KEYS.admin]) {
      const view = (await put(key, {})).json();
      assert.deepEqual([view.id, view.sizes, view.attributes, view.stats.events], ['scoped-ada', ['8'], { bodyType: 'petite' }, 0]);
    }
  });
});
