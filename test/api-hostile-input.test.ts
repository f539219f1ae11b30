/**
 * Regressions of issue 20's hostile-input items: prototype names as data (item 1), non-finite and
 * out-of-range numbers (item 5), /ui/__proto__, non-JSON bodies and unbounded record keys (item 6).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from './helpers/app.ts';

const NOW = Date.UTC(2026, 10, 28, 12);
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const json = { 'content-type': 'application/json' };

describe('hostile input', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ now: NOW });
    const put = await t.app.inject({ method: 'PUT', url: '/v1/items/dress-1', payload: { title: 'Dress', category: 'dress', sizes: { 8: 1 } } });
    assert.equal(put.statusCode, 201, put.body);
  });
  after(async () => { await t.close(); });

  const errorCode = (res: { json(): unknown }) => (res.json() as { error: { code: string } }).error.code;

  describe('item 1: prototype names are ordinary strings', () => {
    it('a rent in size "__proto__" is stored and served, and Object.prototype stays clean', async () => {
      const events = PROTOTYPE_NAMES.map((size, k) => ({ id: `proto-${k}`, type: 'rent', userId: 'victim', itemId: 'dress-1', size, fit: 'small', ts: NOW - 1000 + k }));
      const res = await t.app.inject({ method: 'POST', url: '/v1/events', headers: json, payload: JSON.stringify({ events }) });
      assert.deepEqual(res.json(), { accepted: 5, duplicates: 0, rejected: [] });
      const member = await t.app.inject({ url: '/v1/users/victim' });
      assert.equal(member.statusCode, 200, member.body);
      // the answer's text, not a re-parse of it: "__proto__" must be an own key of the JSON
      for (const size of PROTOTYPE_NAMES) assert.ok(member.body.includes(`"${size}":{"rents":1,"small":1,"fit":0,"large":0}`), `${size} in ${member.body}`);
      assert.equal(({} as Record<string, unknown>).rents, undefined);
      assert.equal(({} as Record<string, unknown>).small, undefined);
      assert.equal(typeof ({}).toString, 'function');
      // and the server goes on answering (the issue: the next requests got 400, then the process died)
      const again = await t.app.inject({ method: 'PUT', url: '/v1/users/victim', payload: { sizes: ['8'] } });
      assert.equal(again.statusCode, 200, again.body);
      assert.equal((await t.app.inject({ url: '/v1/users/victim/page' })).statusCode, 200);
    });

    it('prototype names in every string of items, carousels, templates, experiments, members and events are stored and served back', async () => {
      for (const name of PROTOTYPE_NAMES) {
        // "__proto__" as a JSON key is refused by the body parser (next test); everywhere else it is data
        const asKey = name === '__proto__' ? 'proto' : name;
        const item = { title: name, category: name, tags: [name], sizes: { [asKey]: 2 }, attributes: { [asKey]: name } };
        const put = await t.app.inject({ method: 'PUT', url: `/v1/items/${name}`, payload: item });
        assert.equal(put.statusCode, 201, put.body);
        const got = (await t.app.inject({ url: `/v1/items/${name}` })).json();
        assert.deepEqual([got.id, got.title, got.category, got.tags, got.sizes, got.attributes], [name, item.title, item.category, item.tags, item.sizes, item.attributes]);
        const carousel = await t.app.inject({ method: 'PUT', url: `/v1/carousels/${name}`, payload: { title: name, itemIds: [name], audience: { segments: [name] } } });
        assert.equal(carousel.statusCode < 300, true, carousel.body);
        assert.deepEqual((await t.app.inject({ url: `/v1/carousels/${name}` })).json().itemIds, [name]);
        const template = await t.app.inject({ method: 'PUT', url: `/v1/pages/${name}`, payload: { rows: [{ kind: 'curated', carouselId: name, title: name }] } });
        assert.equal(template.statusCode < 300, true, template.body);
        assert.equal((await t.app.inject({ url: `/v1/pages/${name}` })).json().rows[0].title, name);
        const experiment = await t.app.inject({ method: 'PUT', url: `/v1/experiments/${name}`, payload: { variants: [{ name, weight: 1, config: { template: name } }] } });
        assert.equal(experiment.statusCode < 300, true, experiment.body);
        assert.equal((await t.app.inject({ url: `/v1/experiments/${name}` })).json().variants[0].name, name);
        const profile = { sizes: [name], attributes: { [asKey]: name }, preferences: { styles: [name], occasions: [name], avoid: [name] }, upcoming: [{ occasion: name, date: NOW + 86_400_000 }] };
        const member = await t.app.inject({ method: 'PUT', url: `/v1/users/${name}`, payload: profile });
        assert.equal(member.statusCode < 300, true, member.body);
        const served = (await t.app.inject({ url: `/v1/users/${name}` })).json();
        assert.deepEqual([served.id, served.sizes, served.attributes, served.preferences, served.upcoming], [name, profile.sizes, profile.attributes, profile.preferences, profile.upcoming]);
        const context = { pageId: name, rowId: name, variant: name, modelVersion: name, position: 0 };
        const event = { id: name, type: 'rent', userId: name, itemId: name, size: name, fit: 'fit', occasion: name, ts: NOW - 1000, context };
        assert.deepEqual((await t.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [event] } })).json(), { accepted: 1, duplicates: 0, rejected: [] });
        const [stored] = (await t.app.inject({ url: `/v1/users/${name}/events` })).json().events;
        assert.deepEqual([stored.id, stored.userId, stored.itemId, stored.size, stored.occasion, stored.context], [name, name, name, name, name, context]);
        const page = await t.app.inject({ url: `/v1/users/${name}/page` });
        assert.equal(page.statusCode, 200, page.body);
      }
      assert.deepEqual(Object.keys(Object.prototype), []);
    });

    it('an occasion named "constructor" reads as itself in reasons, not as a function', async () => {
      // occasions are lower-cased: "constructor" and "__proto__" are the prototype names that stay inherited
      const events = ['dress-1', 'dress-1'].map((itemId, k) => ({ id: `occ-${k}`, type: 'rent', userId: `occ-member-${k}`, itemId, occasion: 'constructor' }));
      assert.equal((await t.app.inject({ method: 'POST', url: '/v1/events', payload: { events } })).json().accepted, 2);
      const res = await t.app.inject({ url: '/v1/occasions/constructor/items' });
      assert.equal(res.statusCode, 200, res.body);
      const items = res.json().items as Array<{ itemId: string; reason?: string }>;
      assert.ok(items.some((i) => i.itemId === 'dress-1'), res.body);
      assert.deepEqual([...new Set(items.map((i) => i.reason))], ['Members rent it for constructor']);
    });

    it('a JSON key "__proto__" is refused with a registered code, not merged into anything', async () => {
      const res = await t.app.inject({ method: 'PUT', url: '/v1/items/p1', headers: json, payload: '{"title":"x","category":"c","sizes":{"__proto__":{"polluted":1}}}' });
      assert.equal(res.statusCode, 400);
      assert.equal(errorCode(res), 'VITRINE_REQUEST_INVALID_JSON');
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal((await t.app.inject({ url: '/v1/items/p1' })).statusCode, 404);
    });
  });

  describe('item 5: numbers are finite and within their bounds', () => {
    const huge = '9'.repeat(8000);
    for (const value of ['Infinity', '-Infinity', '1e309', huge, '1e300']) {
      for (const url of ['/v1/items?limit=', '/v1/users?limit=', '/v1/users/victim/events?limit=', '/v1/users/victim/recommendations?n=',
        '/v1/items/dress-1/similar?n=', '/v1/occasions/wedding/items?n=', '/v1/users/victim/page?size=', '/v1/users/victim/page?rows=']) {
        it(`${url}${value.slice(0, 10)} → 400`, async () => {
          const res = await t.app.inject({ url: `${url}${value}` });
          assert.equal(res.statusCode, 400, res.body);
          assert.equal(errorCode(res), 'VITRINE_REQUEST_INVALID');
        });
      }
    }

    it('a body number that overflows to Infinity, or the string "Infinity" where a number goes, is refused', async () => {
      for (const [field, code] of [['"price":1e309', 'VITRINE_REQUEST_INVALID'], ['"price":"Infinity"', 'VITRINE_REQUEST_INVALID'],
        ['"attributes":{"weight":-1e309}', 'VITRINE_REQUEST_INVALID'], ['"sizes":{"8":1e10}', 'VITRINE_REQUEST_INVALID'],
        // finite, but Infinity once stored as float32
        ['"embedding":[1e308,1]', 'VITRINE_REQUEST_INVALID'],
        // past the last date a JS Date holds: not a number the schema takes (and a body is never coerced to a string)
        ['"availableFrom":1e300', 'VITRINE_REQUEST_INVALID']]) {
        const payload = `{"title":"x","category":"c",${field}}`;
        const res = await t.app.inject({ method: 'PUT', url: '/v1/items/n1', headers: json, payload });
        assert.equal(res.statusCode, 400, `${payload}: ${res.body}`);
        assert.equal(errorCode(res), code, payload);
      }
      assert.equal((await t.app.inject({ url: '/v1/items/n1' })).statusCode, 404);
    });
    it('experiment weights whose sum would overflow are refused', async () => {
      const res = await t.app.inject({ method: 'PUT', url: '/v1/experiments/huge', payload: { variants: [{ name: 'a', weight: 1e308 }, { name: 'b', weight: 1e308 }] } });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(errorCode(res), 'VITRINE_REQUEST_INVALID');
    });

    it('in a batch, an overflowing number refuses that one event or item, not the batch', async () => {
      const events = await t.app.inject({ method: 'POST', url: '/v1/events', headers: json, payload: JSON.stringify({ events: [
        { id: 'inf-0', type: 'review', userId: 'rater', itemId: 'dress-1', rating: 4 },
        { id: 'inf-1', type: 'review', userId: 'rater', itemId: 'dress-1', rating: 5 },
      ] }).replace('"rating":5', '"rating":1e309') });
      assert.equal(events.statusCode, 200, events.body);
      assert.deepEqual(events.json().rejected.map((r: { index: number; code: string }) => [r.index, r.code]), [[1, 'VITRINE_EVENT_INVALID']]);
      assert.equal(events.json().accepted, 1);
      const items = await t.app.inject({ method: 'POST', url: '/v1/items/batch', headers: json,
        payload: '{"items":[{"id":"inf-a","title":"x","category":"c","price":1e309},{"id":"inf-b","title":"x","category":"c","price":10}]}' });
      assert.equal(items.statusCode, 200, items.body);
      assert.deepEqual(items.json().results.map((r: { status: string; code?: string }) => [r.status, r.code]), [['rejected', 'VITRINE_ITEM_INVALID'], ['created', undefined]]);
    });
  });

  describe('item 6: UI files, media types, record keys', () => {
    for (const name of PROTOTYPE_NAMES) {
      it(`GET /ui/${name} → 404`, async () => {
        const res = await t.app.inject({ url: `/ui/${name}` });
        assert.equal(res.statusCode, 404);
        assert.equal(errorCode(res), 'VITRINE_ROUTE_NOT_FOUND');
      });
    }

    it('every non-JSON body gets 415, and nothing is stored', async () => {
      for (const [type, payload] of [['text/plain', '{"events":[]}'], ['application/x-www-form-urlencoded', 'a=b'], ['application/xml', '<a/>'], ['text/csv', 'a,b']]) {
        for (const [method, url] of [['POST', '/v1/events'], ['PUT', '/v1/items/m1'], ['PUT', '/v1/users/m1'], ['PATCH', '/v1/items/dress-1/availability']] as const) {
          const res = await t.app.inject({ method, url, headers: { 'content-type': type }, payload });
          assert.equal(res.statusCode, 415, `${type} ${method} ${url}: ${res.body}`);
          assert.equal(errorCode(res), 'VITRINE_REQUEST_UNSUPPORTED_MEDIA');
        }
      }
      assert.equal((await t.app.inject({ url: '/v1/items/m1' })).statusCode, 404);
      assert.equal((await t.app.inject({ url: '/v1/users/m1' })).statusCode, 404);
    });

    it('size labels over 32 characters and attribute keys over 64 are refused, with a short message', async () => {
      const mb = 'k'.repeat(1024 * 1024);
      const cases: Array<[string, string, object]> = [
        ['PUT', '/v1/items/k1', { title: 'x', category: 'c', sizes: { [mb]: 1 } }],
        ['PUT', '/v1/items/k1', { title: 'x', category: 'c', sizes: { ['s'.repeat(33)]: 1 } }],
        ['PUT', '/v1/items/k1', { title: 'x', category: 'c', sizes: { '': 1 } }],
        ['PUT', '/v1/items/k1', { title: 'x', category: 'c', attributes: { [mb]: 'x' } }],
        ['PUT', '/v1/items/k1', { title: 'x', category: 'c', attributes: { ['a'.repeat(65)]: 'x' } }],
        ['PUT', '/v1/items/k1', { title: 'x', category: 'c', sizes: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`s${i}`, 1])) }],
        ['PUT', '/v1/users/k1', { attributes: { [mb]: 1 } }],
        ['PATCH', '/v1/items/dress-1/availability', { sizes: { [mb]: 1 } }],
      ];
      for (const [method, url, payload] of cases) {
        const res = await t.app.inject({ method: method as 'PUT', url, payload });
        assert.equal(res.statusCode, 400, `${method} ${url}: ${res.body.slice(0, 200)}`);
        assert.equal(errorCode(res), 'VITRINE_REQUEST_INVALID');
        assert.ok(res.body.length < 600, `the error quotes ${res.body.length} characters`);
      }
      assert.equal((await t.app.inject({ url: '/v1/items/k1' })).statusCode, 404);
      assert.equal((await t.app.inject({ url: '/v1/users/k1' })).statusCode, 404);
      assert.deepEqual((await t.app.inject({ url: '/v1/items/dress-1' })).json().sizes, { 8: 1 });
    });

    it('the batch endpoint and the importers apply the same key bounds, item by item', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/v1/items/batch', payload: { items: [
        { id: 'b1', title: 'x', category: 'c', sizes: { ['k'.repeat(1024 * 1024)]: 1 } },
        { id: 'b2', title: 'x', category: 'c', sizes: { toString: 1 }, attributes: { constructor: 'x' } },
      ] } });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      const results = res.json().results as Array<{ status: string; code?: string; message?: string }>;
      assert.deepEqual(results.map((r) => [r.status, r.code]), [['rejected', 'VITRINE_ITEM_INVALID'], ['created', undefined]]);
      assert.ok((results[0].message ?? '').length < 300);
      assert.deepEqual((await t.app.inject({ url: '/v1/items/b2' })).json().sizes, { toString: 1 });
    });

    it('a path parameter over 512 characters, or a malformed URL, is a registered 400, not the router\'s own answer', async () => {
      const long = await t.app.inject({ url: `/v1/users/${'u'.repeat(600)}/page` });
      assert.deepEqual([long.statusCode, errorCode(long)], [400, 'VITRINE_REQUEST_BAD_ID']);
      const malformed = await t.app.inject({ url: '/v1/users/%E0%A4%A/page' });
      assert.deepEqual([malformed.statusCode, errorCode(malformed)], [400, 'VITRINE_REQUEST_INVALID']);
      assert.match(malformed.json().error.message, /percent-encoding/);
    });
  });
});

describe('hostile input with page workers (issue 20, item 1: "with page workers it stays up and answers every event with 400")', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ now: NOW, config: { serving: { pageWorkers: 1 }, training: { inWorker: false } } });
    assert.equal((await t.app.inject({ method: 'PUT', url: '/v1/items/dress-1', payload: { title: 'Dress', category: 'dress', sizes: { 8: 1 } } })).statusCode, 201);
  });
  after(async () => { await t.close(); });

  it('a rent in size "__proto__" is served in pages, and the next events are accepted', async () => {
    const send = (id: string, size: string) => t.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [{ id, type: 'rent', userId: 'pw-victim', itemId: 'dress-1', size, fit: 'small' }] } });
    assert.deepEqual((await send('pw-1', '__proto__')).json(), { accepted: 1, duplicates: 0, rejected: [] });
    const page = await t.app.inject({ url: '/v1/users/pw-victim/page' });
    assert.equal(page.statusCode, 200, page.body);
    assert.deepEqual((await send('pw-2', '8')).json(), { accepted: 1, duplicates: 0, rejected: [] });
    const member = await t.app.inject({ url: '/v1/users/pw-victim' });
    assert.deepEqual(Object.keys(member.json().sizeProfile), ['8', '__proto__']);
    assert.equal((await t.app.inject({ url: '/v1/users/pw-victim/page' })).statusCode, 200);
    assert.equal(({} as Record<string, unknown>).rents, undefined);
  });
});
