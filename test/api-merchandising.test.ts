import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { recordImpression } from '../src/serving/experiments/record-impression.ts';
import { DEFAULT_HOME_TEMPLATE } from '../src/serving/merchandising/default-templates.ts';
import { MerchandisingCache } from '../src/serving/merchandising/merchandising-cache.ts';
import { servableItems } from '../src/serving/merchandising/servable.ts';
import { localReplica, testApp, type TestApp } from './helpers/app.ts';

const NOW = Date.UTC(2026, 4, 1);
const DAY = 86_400_000;

describe('merchandising API: carousels and page templates', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ now: NOW });
    for (const id of ['d1', 'd2', 'd3', 'old']) {
      await t.app.inject({ method: 'PUT', url: `/v1/items/${id}`, payload: { title: id, category: 'dress', sizes: { '8': 1 } } });
    }
    await t.app.inject({ method: 'DELETE', url: '/v1/items/old' });
    // seen only in an event: a placeholder, never catalogued
    await t.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [{ id: 'e1', type: 'view', userId: 'm1', itemId: 'seen-only', ts: NOW - 1 }] } });
  });
  after(async () => { await t.close(); });

  const put = (id: string, payload: unknown) => t.app.inject({ method: 'PUT', url: `/v1/carousels/${id}`, payload: payload as object });

  it('accepts a carousel with unknown, uncatalogued and retired items, reports them, and never serves them', async () => {
    const res = await put('wedding', { title: 'Wedding guest', itemIds: ['d2', 'ghost', 'd1', 'old', 'seen-only', 'd2'], personalize: true,
      activeFrom: '2026-04-01', activeTo: NOW + 30 * DAY, audience: { segments: ['size:8'] } });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.deepEqual(body.itemIds, ['d2', 'ghost', 'd1', 'old', 'seen-only'], 'stylist order kept, repeats dropped');
    assert.deepEqual(body.unservable, [
      { itemId: 'ghost', reason: 'unknown' }, { itemId: 'old', reason: 'retired' }, { itemId: 'seen-only', reason: 'uncatalogued' },
    ]);
    assert.equal(body.activeFrom, Date.UTC(2026, 3, 1));
    const carousel = await t.context.merchandising.carousel('wedding');
    assert.ok(carousel, 'the page path sees the carousel at once');
    assert.deepEqual(servableItems(carousel, localReplica(t).catalogue, NOW), ['d2', 'd1']);
  });

  it('GET one and all; PUT again replaces (200); a later retirement shows up in unservable', async () => {
    await put('basics', { title: 'Basics', itemIds: ['d3'] });
    const replaced = await put('basics', { title: 'Basics', itemIds: ['d3', 'd1'], personalize: false });
    assert.equal(replaced.statusCode, 200);
    await t.app.inject({ method: 'DELETE', url: '/v1/items/d3' });
    const one = (await t.app.inject({ method: 'GET', url: '/v1/carousels/basics' })).json();
    assert.deepEqual(one.unservable, [{ itemId: 'd3', reason: 'retired' }]);
    assert.equal(one.personalize, false);
    const all = (await t.app.inject({ method: 'GET', url: '/v1/carousels' })).json();
    assert.deepEqual(all.carousels.map((c: { id: string }) => c.id), ['basics', 'wedding']);
  });

  it('rejects bad carousels with codes; DELETE removes; unknown ids are 404', async () => {
    const backwards = await put('bad', { title: 'x', itemIds: ['d1'], activeFrom: NOW, activeTo: NOW - 1 });
    assert.equal(backwards.statusCode, 400);
    assert.equal(backwards.json().error.code, 'VITRINE_CAROUSEL_INVALID');
    assert.equal((await put('bad', { title: 'x', itemIds: ['d1'], activeFrom: 'soon' })).json().error.code, 'VITRINE_CAROUSEL_INVALID');
    assert.equal((await put('bad', { title: 'x', itemIds: ['d1'], colour: 'red' })).json().error.code, 'VITRINE_REQUEST_UNKNOWN_FIELD');
    assert.equal((await put('bad', { title: 'x', itemIds: [] })).json().error.code, 'VITRINE_REQUEST_INVALID');
    assert.equal((await put('bad', { title: 'x', itemIds: ['no spaces'] })).statusCode, 400);
    await put('temp', { title: 'Temp', itemIds: ['d1'] });
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/v1/carousels/temp' })).statusCode, 200);
    const gone = await t.app.inject({ method: 'GET', url: '/v1/carousels/temp' });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, 'VITRINE_CAROUSEL_NOT_FOUND');
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/v1/carousels/temp' })).statusCode, 404);
    assert.equal(await t.context.merchandising.carousel('temp'), undefined);
  });

  it('serves the built-in home template when none is stored, its curated row expanded to the active carousels', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/pages/home' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().source, 'default');
    assert.deepEqual(res.json().rows, DEFAULT_HOME_TEMPLATE.rows);
    assert.deepEqual(DEFAULT_HOME_TEMPLATE.rows.map((r) => r.kind), ['for-you', 'because-you-liked', 'popular-in-your-size',
      'for-occasion', 'style', 'trending', 'new-arrivals', 'back-in-your-size', 'curated']);
    await put('expired', { title: 'Last season', itemIds: ['d1'], activeTo: NOW - DAY });
    const home = await t.context.merchandising.template('home');
    const curated = home?.rows.filter((r) => r.kind === 'curated').map((r) => r.carouselId);
    assert.deepEqual(curated?.sort(), ['basics', 'wedding'], 'one row per active carousel; the expired one left out');
    assert.equal(await t.context.merchandising.template('nothing'), undefined);
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/pages/nothing' })).json().error.code, 'VITRINE_PAGE_NOT_FOUND');
  });

  it('stores a template (it then replaces the default); bad kinds and misplaced carouselIds are 400', async () => {
    const rows = [{ kind: 'curated', carouselId: 'wedding', title: 'For the big day' }, { kind: 'for-you', size: 12 }, { kind: 'curated', carouselId: 'later' }];
    const res = await t.app.inject({ method: 'PUT', url: '/v1/pages/home', payload: { rows, maxRows: 5 } });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().source, 'stored');
    assert.deepEqual(res.json().warnings, ['rows[2]: no carousel "later" yet; the row is left out of pages until it exists']);
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/v1/pages/home' })).json().rows, rows);
    assert.deepEqual((await t.context.merchandising.template('home'))?.rows, rows);
    const badKind = await t.app.inject({ method: 'PUT', url: '/v1/pages/sale', payload: { rows: [{ kind: 'best-sellers' }] } });
    assert.equal(badKind.statusCode, 400);
    assert.equal(badKind.json().error.code, 'VITRINE_PAGE_INVALID');
    const misplaced = await t.app.inject({ method: 'PUT', url: '/v1/pages/sale', payload: { rows: [{ kind: 'trending', carouselId: 'wedding' }] } });
    assert.equal(misplaced.json().error.code, 'VITRINE_PAGE_INVALID');
    assert.equal((await t.app.inject({ method: 'PUT', url: '/v1/pages/sale', payload: { rows: [] } })).statusCode, 400);
    const list = (await t.app.inject({ method: 'GET', url: '/v1/pages' })).json();
    assert.deepEqual(list.pages.map((p: { name: string; source: string }) => [p.name, p.source]), [['home', 'stored']]);
  });
});

describe('experiments API', () => {
  let t: TestApp;
  before(async () => { t = await testApp({ now: NOW }); });
  after(async () => { await t.close(); });

  const put = (id: string, payload: unknown) => t.app.inject({ method: 'PUT', url: `/v1/experiments/${id}`, payload: payload as object });

  it('weights that do not sum to a positive number are a 400 with a code; so are negative weights and repeated names', async () => {
    const zero = await put('exp', { variants: [{ name: 'control', weight: 0, config: {} }, { name: 'b', weight: 0, config: {} }], status: 'running' });
    assert.equal(zero.statusCode, 400);
    assert.equal(zero.json().error.code, 'VITRINE_EXPERIMENT_BAD_WEIGHTS');
    assert.equal((await put('exp', { variants: [{ name: 'a', weight: -1 }, { name: 'b', weight: 1 }] })).json().error.code, 'VITRINE_EXPERIMENT_BAD_WEIGHTS');
    assert.equal((await put('exp', { variants: [{ name: 'a', weight: 1 }, { name: 'a', weight: 1 }] })).json().error.code, 'VITRINE_EXPERIMENT_INVALID');
    assert.equal((await put('exp', { variants: [{ name: 'a', weight: 1, config: { rowOrder: 'random' } }] })).statusCode, 400);
    assert.equal((await put('exp', { variants: [{ name: 'a', weight: 1, config: { colour: 'red' } }] })).json().error.code, 'VITRINE_REQUEST_UNKNOWN_FIELD');
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/experiments/exp' })).json().error.code, 'VITRINE_EXPERIMENT_NOT_FOUND');
  });

  it('refuses a variant naming a model or a template that does not exist; nothing is stored', async () => {
    await t.store.putModel({ version: 'als-20261128120000-gone', algorithm: 'als', status: 'rejected', createdAt: NOW, metrics: {} });
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ model: 'no-such-algorithm' }, 'VITRINE_EXPERIMENT_UNKNOWN_MODEL', 'no algorithm or model version "no-such-algorithm"'],
      [{ model: 'als-20261128120000-zzzz' }, 'VITRINE_EXPERIMENT_UNKNOWN_MODEL', 'no algorithm or model version'],
      [{ model: 'als-20261128120000-gone' }, 'VITRINE_EXPERIMENT_UNKNOWN_MODEL', 'is rejected'],
      [{ template: 'never-stored' }, 'VITRINE_EXPERIMENT_UNKNOWN_TEMPLATE', 'no page template "never-stored"'],
    ];
    for (const [config, code, message] of cases) {
      for (const status of ['draft', 'running']) {
        const res = await put('refused', { variants: [{ name: 'control', weight: 1 }, { name: 'b', weight: 1, config }], status });
        assert.equal(res.statusCode, 400, JSON.stringify(config));
        assert.equal(res.json().error.code, code);
        assert.ok(res.json().error.message.includes(message), res.json().error.message);
      }
    }
    // a registered algorithm with no active version: a draft may name it (with a warning), a running experiment may not
    const untrained = { variants: [{ name: 'control', weight: 1 }, { name: 'b', weight: 1, config: { model: 'item-knn' } }] };
    const running = await put('refused', { ...untrained, status: 'running' });
    assert.deepEqual([running.statusCode, running.json().error.code], [400, 'VITRINE_EXPERIMENT_UNKNOWN_MODEL']);
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/experiments/refused' })).statusCode, 404, 'nothing stored');
    const draft = await put('refused-draft', untrained);
    assert.equal(draft.statusCode, 201);
    assert.deepEqual(draft.json().warnings, ['variant "b": algorithm "item-knn" has no active version yet: train it before the experiment runs']);
  });

  it('stores an experiment (draft by default), labels its variants, and assigns members once it runs', async () => {
    const variants = [{ name: 'control', weight: 1, config: {} }, { name: 'ease', weight: 1, config: { model: 'ease', template: 'home-v2', rowOrder: 'fixed', budgetMs: 150 } }];
    assert.equal((await t.app.inject({ method: 'PUT', url: '/v1/pages/home-v2', payload: { rows: [{ kind: 'for-you' }] } })).statusCode, 201);
    const draft = await put('model-test', { variants });
    assert.equal(draft.statusCode, 201);
    assert.equal(draft.json().status, 'draft');
    assert.deepEqual(draft.json().variants.map((v: { label: string }) => v.label), ['model-test:control', 'model-test:ease']);
    assert.deepEqual(draft.json().warnings, ['variant "ease": algorithm "ease" has no active version yet: train it before the experiment runs']);
    assert.deepEqual(await t.context.merchandising.resolveVariant('m1'), { variant: 'default', config: {} }, 'a draft assigns nobody');
    // a trained ease version (its registry row is what the check reads)
    await t.store.putModel({ version: 'ease-20261128120000-abcd', algorithm: 'ease', status: 'active', createdAt: NOW, metrics: {} });
    const running = await put('model-test', { variants, status: 'running' });
    assert.equal(running.statusCode, 200);
    const resolved = await t.context.merchandising.resolveVariant('m1');
    assert.equal(resolved.experimentId, 'model-test');
    assert.ok(['model-test:control', 'model-test:ease'].includes(resolved.variant));
    assert.deepEqual(await t.context.merchandising.resolveVariant('m1'), resolved, 'deterministic');
    const listed = (await t.app.inject({ method: 'GET', url: '/v1/experiments' })).json();
    assert.deepEqual(listed.experiments.map((e: { id: string; status: string }) => [e.id, e.status]), [['model-test', 'running'], ['refused-draft', 'draft']], 'oldest first, then by id');
  });

  it('reports per variant from impressions logged by recordImpression and clicks/rents posted with the page id', async () => {
    const variants = [{ name: 'a', weight: 1 }, { name: 'control', weight: 1 }];
    await put('report-test', { variants, status: 'stopped' });
    // control: 10 pages × 10 items, 5 clicks; a: 10 pages × 10 items, 20 clicks and 4 rents
    const events: unknown[] = [];
    for (const [name, clicks, rents] of [['control', 5, 0], ['a', 20, 4]] as const) {
      for (let p = 0; p < 10; p++) {
        const pageId = `${name}-${p}`;
        await recordImpression(t.store, { pageId, userId: `${name}-u${p % 5}`, variant: `report-test:${name}`, modelVersion: 'v1',
          rows: [{ rowId: 'for-you', kind: 'for-you', items: Array.from({ length: 10 }, (_, k) => ({ itemId: `i${k}` })) }] }, { ts: NOW });
      }
      for (let c = 0; c < clicks; c++) {
        events.push({ id: `${name}-c${c}`, type: 'click', userId: `${name}-u${c % 5}`, itemId: 'i1', ts: NOW, context: { pageId: `${name}-${c % 5}` } });
      }
      for (let r = 0; r < rents; r++) {
        events.push({ id: `${name}-r${r}`, type: 'rent', userId: `${name}-u${r}`, itemId: 'i2', ts: NOW, context: { pageId: `${name}-${r}`, rowId: 'for-you', position: 2 } });
      }
    }
    const ingest = await t.app.inject({ method: 'POST', url: '/v1/events', payload: { events } });
    assert.equal(ingest.json().accepted, events.length);
    const res = await t.app.inject({ method: 'GET', url: '/v1/experiments/report-test/report' });
    assert.equal(res.statusCode, 200);
    const report = res.json();
    assert.equal(report.control, 'control', 'the variant named control, though listed second');
    const byName = Object.fromEntries(report.variants.map((v: { name: string }) => [v.name, v]));
    const pick = (v: Record<string, number>) => [v.users, v.pages, v.impressions, v.clicks, v.rents, v.renters];
    assert.deepEqual(pick(byName.control), [5, 10, 100, 5, 0, 0]);
    assert.deepEqual(pick(byName.a), [5, 10, 100, 20, 4, 4]);
    assert.equal(byName.a.ctr.rate, 0.2);
    assert.ok(byName.control.ctr.high < byName.a.ctr.low, 'CTR intervals of 5/100 and 20/100 do not overlap');
    assert.equal(byName.a.lift.ctr.value, 3);
    assert.ok(byName.a.lift.ctr.low > 0);
    assert.equal(byName.control.lift, null);
    assert.match(report.methods.rates, /Wilson/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/experiments/none/report' })).statusCode, 404);
  });
});

describe('merchandising routes need the admin scope', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ config: { auth: { keys: [{ key: 'w'.repeat(24), scopes: ['write'] }, { key: 'a'.repeat(24), scopes: ['admin'] }] } } });
  });
  after(async () => { await t.close(); });

  it('a write key gets 403, an admin key gets through', async () => {
    for (const [method, url] of [['GET', '/v1/carousels'], ['GET', '/v1/pages/home'], ['GET', '/v1/experiments']] as const) {
      const write = await t.app.inject({ method, url, headers: { authorization: `Bearer ${'w'.repeat(24)}` } });
      assert.equal(write.statusCode, 403, url);
      const admin = await t.app.inject({ method, url, headers: { authorization: `Bearer ${'a'.repeat(24)}` } });
      assert.equal(admin.statusCode, 200, url);
    }
  });
});

describe('merchandising cache', () => {
  it('picks up writes made behind its back (another process) once its snapshot is older than refreshMs', async () => {
    const t = await testApp({ now: NOW });
    try {
      let now = NOW;
      const cache = new MerchandisingCache(t.store, { clock: () => now, refreshMs: 1000 });
      assert.equal(await cache.carousel('late'), undefined);
      await t.store.putCarousel({ id: 'late', title: 'Late', itemIds: ['x'], personalize: false }, NOW);
      assert.equal(await cache.carousel('late'), undefined, 'fresh snapshot: no store query per page');
      now += 1001;
      assert.equal(await cache.carousel('late'), undefined, 'stale: this call still answers from the snapshot it has');
      await cache.reload(); // waits for the background load queued by the call above, then loads once more
      assert.equal((await cache.carousel('late'))?.title, 'Late');
    } finally {
      await t.close();
    }
  });
});

describe('page templates: rowOrder', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ now: NOW });
    const items = Array.from({ length: 30 }, (_, k) => ({ id: `o${k}`, title: `dress ${k}`, category: 'dress', sizes: { '8': 2 } }));
    await t.app.inject({ method: 'POST', url: '/v1/items/batch', payload: { items } });
    await t.app.inject({ method: 'PUT', url: '/v1/users/order-probe', payload: { sizes: ['8'] } });
    const events = items.slice(0, 20).map((item, k) => ({ id: `v${k}`, type: 'click', userId: `u${k % 4}`, itemId: item.id, ts: NOW - (k + 1) * 60_000 }));
    await t.app.inject({ method: 'POST', url: '/v1/events', payload: { events } });
  });
  after(async () => { await t.close(); });

  it('a template\'s rowOrder is stored and read back; a fixed one serves rows in the template\'s order', async () => {
    const rows = [{ kind: 'new-arrivals' }, { kind: 'trending' }, { kind: 'popular-in-your-size' }];
    const res = await t.app.inject({ method: 'PUT', url: '/v1/pages/fixed-probe', payload: { rows, rowOrder: 'fixed' } });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().rowOrder, 'fixed');
    assert.equal((await t.context.merchandising.template('fixed-probe'))?.rowOrder, 'fixed');
    assert.equal((await t.app.inject({ method: 'PUT', url: '/v1/pages/fixed-probe', payload: { rows, rowOrder: 'random' } })).statusCode, 400);
    const page = (await t.app.inject({ url: '/v1/users/order-probe/page?page=fixed-probe&size=4' })).json();
    const kinds = page.rows.map((r: { kind: string }) => r.kind);
    assert.ok(kinds.length >= 2, `rows: ${kinds.join(', ')}`);
    const order = rows.map((r) => r.kind);
    assert.deepEqual(kinds, order.filter((k) => kinds.includes(k)), 'the template\'s order');
    const learned = await t.app.inject({ method: 'PUT', url: '/v1/pages/fixed-probe', payload: { rows } });
    assert.equal(learned.json().rowOrder, undefined, 'absent = learned (bandit)');
  });

});
