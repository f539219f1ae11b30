import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { localReplica, testApp, type TestApp } from './helpers/app.ts';

describe('catalogue API', () => {
  let t: TestApp;
  before(async () => { t = await testApp(); });
  after(async () => { await t.close(); });

  const put = (id: string, payload: unknown) => t.app.inject({ method: 'PUT', url: `/v1/items/${id}`, payload: payload as object });

  it('PUT creates (201) then replaces (200); GET returns what was stored', async () => {
    const created = await put('dress-1', { title: 'Noir Sheath', category: 'sheath', brand: 'Marchetti', tags: ['black'],
      attributes: { colour: 'black' }, price: 95, sizes: { '4': 1, '6': 2 }, availableFrom: '2026-01-01', embedding: [0.1, 0.2] });
    assert.equal(created.statusCode, 201);
    assert.equal(created.json().availableFrom, Date.UTC(2026, 0, 1), 'ISO timestamps are stored as epoch ms');
    const replaced = await put('dress-1', { title: 'Noir Silk Sheath', category: 'sheath' });
    assert.equal(replaced.statusCode, 200);
    const got = (await t.app.inject({ method: 'GET', url: '/v1/items/dress-1' })).json();
    assert.equal(got.title, 'Noir Silk Sheath');
    assert.equal(got.brand, undefined);
    assert.deepEqual(got.sizes, {});
  });

  it('rejects bad items with registered codes', async () => {
    const unknownField = await put('x', { title: 'a', category: 'b', colour: 'red' });
    assert.equal(unknownField.statusCode, 400);
    assert.equal(unknownField.json().error.code, 'VITRINE_REQUEST_UNKNOWN_FIELD');
    assert.match(unknownField.json().error.message, /colour/);
    const missing = await put('x', { title: 'a' });
    assert.equal(missing.json().error.code, 'VITRINE_REQUEST_INVALID');
    const badId = await put('bad%20id', { title: 'a', category: 'b' });
    assert.equal(badId.statusCode, 400);
    assert.equal(badId.json().error.code, 'VITRINE_REQUEST_BAD_ID');
    const longId = await put('a'.repeat(129), { title: 'a', category: 'b' });
    assert.equal(longId.json().error.code, 'VITRINE_REQUEST_BAD_ID');
    const negativeUnits = await put('x', { title: 'a', category: 'b', sizes: { '8': -1 } });
    assert.equal(negativeUnits.json().error.code, 'VITRINE_REQUEST_INVALID');
    const badDate = await put('x', { title: 'a', category: 'b', availableFrom: 'next tuesday' });
    assert.equal(badDate.json().error.code, 'VITRINE_ITEM_INVALID');
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/items/x' })).statusCode, 404, 'nothing stored by rejected PUTs');
  });

  it('batch upserts item by item: one bad item does not reject the others', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/items/batch', payload: { items: [
      { id: 'b1', title: 'One', category: 'dress' },
      { id: 'b2', title: 'Two' },
      { id: 'b$3', title: 'Three', category: 'dress' },
      { id: 'dress-1', title: 'Again', category: 'sheath' },
      { id: 'b4', title: 'Four', category: 'dress', weird: true },
    ] } });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(body.results.map((r: { status: string }) => r.status), ['created', 'rejected', 'rejected', 'updated', 'rejected']);
    assert.deepEqual(body.results.map((r: { code?: string }) => r.code ?? null),
      [null, 'VITRINE_ITEM_INVALID', 'VITRINE_REQUEST_BAD_ID', null, 'VITRINE_REQUEST_UNKNOWN_FIELD']);
    assert.deepEqual([body.created, body.updated, body.rejected], [1, 1, 3]);
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/items/b1' })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/items/b4' })).statusCode, 404);
  });

  it('batch over 1000 items is a 400', async () => {
    const items = Array.from({ length: 1001 }, (_, i) => ({ id: `i${i}`, title: 't', category: 'c' }));
    const res = await t.app.inject({ method: 'POST', url: '/v1/items/batch', payload: { items } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'VITRINE_REQUEST_INVALID');
  });

  it('PATCH availability merges the sizes it names; PUT replaces; unknown item is 404 with a code', async () => {
    await put('avail', { title: 'A', category: 'gown', sizes: { '6': 3, '8': 1, '12': 2 } });
    const res = await t.app.inject({ method: 'PATCH', url: '/v1/items/avail/availability', payload: { sizes: { '8': 0, '10': 2 } } });
    assert.equal(res.statusCode, 200);
    const merged = { '6': 3, '8': 0, '12': 2, '10': 2 };
    assert.deepEqual(res.json(), { id: 'avail', sizes: merged }, 'the answer is every size after the merge');
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/v1/items/avail' })).json().sizes, merged);
    const cat = localReplica(t).catalogue;
    assert.deepEqual([cat.hasUnitsIn('avail', ['6']), cat.hasUnitsIn('avail', ['8']), cat.hasUnitsIn('avail', ['10'])], [true, false, true],
      'serving sees the merged record: size 6, never named, is still in stock');

    const replaced = await t.app.inject({ method: 'PUT', url: '/v1/items/avail/availability', payload: { sizes: { '10': 1 } } });
    assert.equal(replaced.statusCode, 200);
    assert.deepEqual(replaced.json(), { id: 'avail', sizes: { '10': 1 } });
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/v1/items/avail' })).json().sizes, { '10': 1 });
    assert.equal(cat.hasUnitsIn('avail', ['6']), false, 'a replaced size is gone from serving too');

    for (const method of ['PATCH', 'PUT'] as const) {
      const missing = await t.app.inject({ method, url: '/v1/items/none/availability', payload: { sizes: {} } });
      assert.equal(missing.statusCode, 404, method);
      assert.equal(missing.json().error.code, 'VITRINE_ITEM_NOT_FOUND');
    }
  });

  it('DELETE retires: the item stays readable, marked retired; unknown is 404', async () => {
    await put('old', { title: 'Old', category: 'coat' });
    const res = await t.app.inject({ method: 'DELETE', url: '/v1/items/old' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().retired, true);
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/items/old' })).json().retired, true);
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/v1/items/never' })).json().error.code, 'VITRINE_ITEM_NOT_FOUND');
  });
});
