/** GET /v1/users and /v1/items with ?prefix=: a search by id, keyset-paged like the plain listing. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listStart } from '../src/serving/routes/browse.ts';
import { testApp, type TestApp } from './helpers/app.ts';

describe('id prefix search', () => {
  let t: TestApp;
  // byte order: '-' < '.' < digits < '@' < capitals < '_' < lower case
  const MEMBERS = ['ab', 'ac9', 'ad', 'ad-x', 'ad.y', 'ad0', 'adZ', 'ada', 'adam', 'ae', 'b'];
  before(async () => {
    t = await testApp();
    for (const id of MEMBERS) await t.store.upsertUser(id, { sizes: [] }, 0);
    await t.store.upsertItems(['dress-1', 'dress-10', 'dress-2', 'drape', 'gown-1'].map((id) => ({ id, title: id, category: 'dress' })), 0);
  });
  after(async () => { await t.close(); });

  const ids = async (url: string) => {
    const res = await t.app.inject({ url });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { users?: Array<{ id: string }>; items?: Array<{ id: string }>; next: string | null };
    return { ids: (body.users ?? body.items ?? []).map((r) => r.id), next: body.next };
  };

  it('lists exactly the ids that start with the prefix, in id order', async () => {
    assert.deepEqual(await ids('/v1/users?prefix=ad'), { ids: ['ad', 'ad-x', 'ad.y', 'ad0', 'adZ', 'ada', 'adam'], next: null });
    assert.deepEqual(await ids('/v1/users?prefix=ada'), { ids: ['ada', 'adam'], next: null });
    assert.deepEqual(await ids('/v1/users?prefix=zz'), { ids: [], next: null });
    assert.deepEqual(await ids('/v1/items?prefix=dress-1'), { ids: ['dress-1', 'dress-10'], next: null });
    assert.deepEqual(await ids('/v1/items?prefix=dr'), { ids: ['drape', 'dress-1', 'dress-10', 'dress-2'], next: null });
  });

  it('pages within the prefix with after and next', async () => {
    const first = await ids('/v1/users?prefix=ad&limit=3');
    assert.deepEqual(first, { ids: ['ad', 'ad-x', 'ad.y'], next: 'ad.y' });
    const second = await ids(`/v1/users?prefix=ad&limit=3&after=${first.next}`);
    assert.deepEqual(second, { ids: ['ad0', 'adZ', 'ada'], next: 'ada' });
    assert.deepEqual(await ids(`/v1/users?prefix=ad&limit=3&after=${second.next}`), { ids: ['adam'], next: null });
    // an `after` before the prefix's range starts at the range
    assert.deepEqual(await ids('/v1/users?prefix=ad&limit=2&after=a'), { ids: ['ad', 'ad-x'], next: 'ad-x' });
  });

  it('finds items by words of their title with ?q=, whatever the case', async () => {
    await t.store.upsertItems([{ id: 'zz-late', title: 'Midnight Velvet Gown', category: 'gown' }], 0);
    assert.deepEqual(await ids('/v1/items?q=VELVET'), { ids: ['zz-late'], next: null });
    assert.deepEqual(await ids('/v1/items?q=dress-1'), { ids: ['dress-1', 'dress-10'], next: null });
    const res = await t.app.inject({ url: '/v1/items?q=' });
    assert.equal(res.statusCode, 400, 'an empty search is refused');
  });

  it('starts just below the prefix, and refuses a prefix no id could have', async () => {
    assert.equal(listStart({ prefix: 'ad' }), 'ac\x7f');
    assert.equal(listStart({ prefix: 'ad', after: 'ad-x' }), 'ad-x');
    assert.equal(listStart({ after: 'x' }), 'x');
    const res = await t.app.inject({ url: '/v1/users?prefix=a%20b' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'VITRINE_REQUEST_INVALID');
  });
});
