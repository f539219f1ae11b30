/**
 * The typed client against the real app listening on 127.0.0.1: every call goes over HTTP through
 * `vitrine/client`, and the last test checks that the suite called every route in /openapi.json.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type EventInput, type FetchLike, type ItemInput, type Member, type Page, VitrineApiError, VitrineClient } from 'vitrine/client';
import { testApp, type TestApp } from './helpers/app.ts';
import { listen } from './helpers/listen.ts';
import { HANG_GUARD_MS } from './helpers/wait-for.ts';

/** Resolves with the VitrineApiError `call` rejects with (and fails the test when it does not). */
async function apiError(call: Promise<unknown>): Promise<VitrineApiError> {
  try {
    await call;
  } catch (err) {
    assert.ok(err instanceof VitrineApiError, `expected a VitrineApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('the call succeeded');
}

const itemsOf = (page: Page) => page.rows.flatMap((r) => r.items.map((i) => i.itemId));
const COLOURS = ['emerald', 'black', 'red', 'navy', 'blush', 'gold'];

describe('client: the whole API over HTTP', () => {
  let t: TestApp;
  let client: VitrineClient;
  const calls: Array<{ method: string; pathname: string }> = [];

  before(async () => {
    t = await testApp();
    const base = await listen(t);
    const recording: FetchLike = (url, init) => {
      calls.push({ method: init.method ?? 'GET', pathname: new URL(url).pathname });
      return fetch(url, init);
    };
    client = new VitrineClient({ baseUrl: `${base}/`, fetch: recording });
  });
  after(async () => { await t?.close(); });

  it('operations: health, readiness, metrics text, stats', async () => {
    assert.deepEqual(await client.ops.health(), { status: 'ok' });
    assert.deepEqual(await client.ops.ready(), { status: 'ready', store: 'sqlite' });
    assert.match(await client.ops.metrics(), /^# HELP vitrine_/m);
    assert.deepEqual(await client.ops.stats(), { items: 0, users: 0, events: 0, store: 'sqlite' });
    assert.deepEqual(await client.ops.session(), { open: true, scopes: ['read', 'write', 'admin'] }, 'no keys: every scope');
  });

  it('catalogue: put, get, batch with a bad item, availability, paging, retire', async () => {
    const gown = await client.items.put('gown-1', { title: 'Emerald Column Gown', category: 'gown', sizes: { '6': 1, '8': 2 } });
    assert.deepEqual([gown.id, gown.sizes, gown.placeholder, gown.retired], ['gown-1', { '6': 1, '8': 2 }, false, false]);
    assert.deepEqual(await client.items.get('gown-1'), gown);

    const batch = await client.items.batch([
      ...COLOURS.map((colour, k) => ({ id: `dress-${k}`, title: `${colour} dress`, category: 'dress', attributes: { colour }, sizes: { '8': 2 } })),
      { id: 'bad', title: '', category: 'dress' },
    ]);
    assert.deepEqual([batch.created, batch.rejected], [6, 1]);
    assert.deepEqual([batch.results[6].id, batch.results[6].status], ['bad', 'rejected']);
    assert.equal(batch.results[6].code, 'VITRINE_ITEM_INVALID');

    assert.deepEqual(await client.items.setAvailability('gown-1', { '6': 0, '8': 1 }), { id: 'gown-1', sizes: { '6': 0, '8': 1 } });
    assert.deepEqual((await client.items.get('gown-1')).sizes, { '6': 0, '8': 1 });
    assert.deepEqual(await client.items.updateAvailability('gown-1', { '10': 2 }), { id: 'gown-1', sizes: { '6': 0, '8': 1, '10': 2 } }, 'a merge keeps the sizes it does not name');

    const first = await client.items.list({ limit: 3 });
    assert.deepEqual([first.items.map((i) => i.id), first.next], [['dress-0', 'dress-1', 'dress-2'], 'dress-2']);
    const all: string[] = [];
    for await (const item of client.items.all({ limit: 3 })) all.push(item.id);
    assert.deepEqual(all, ['dress-0', 'dress-1', 'dress-2', 'dress-3', 'dress-4', 'dress-5', 'gown-1']);

    assert.equal((await client.items.retire('gown-1')).retired, true);
  });

  it('members and events: profile, a batch with a bad event, duplicates, held items, the event list', async () => {
    const ada = await client.users.put('ada', { sizes: ['8'], preferences: { styles: ['evening'] } }) as Member;
    assert.deepEqual([ada.held, ada.stats.events], [[], 0]);
    const rent: EventInput = { id: 'e-bea-1', type: 'rent', userId: 'bea', itemId: 'dress-1', size: '8' };
    const wink = { id: 'e-bad', type: 'wink', userId: 'cy', itemId: 'dress-2' } as unknown as EventInput;
    const sent = await client.events.send([rent, { id: 'e-cy-1', type: 'heart', userId: 'cy', itemId: 'dress-2' }, wink]);
    assert.deepEqual([sent.accepted, sent.duplicates, sent.rejected.map((r) => [r.index, r.code])], [2, 0, [[2, 'VITRINE_EVENT_BAD_TYPE']]]);
    const again = await client.events.send([rent]);
    assert.deepEqual([again.accepted, again.duplicates], [0, 1]);

    const bea = await client.users.get('bea');
    assert.deepEqual([bea.held, bea.stats.rents, bea.sizeProfile['8']?.rents], [['dress-1'], 1, 1]);
    assert.deepEqual((await client.users.events('bea')).map((e) => [e.type, e.itemId]), [['rent', 'dress-1']]);
    assert.deepEqual((await client.users.list({ limit: 2 })).users.map((u) => u.id), ['ada', 'bea']);
    const everyone: string[] = [];
    for await (const u of client.users.all({ limit: 2 })) everyone.push(u.id);
    assert.deepEqual(everyone, ['ada', 'bea', 'cy']);
  });

  it('a rented item is gone from the member\'s next page', async () => {
    const page = await client.recommendations.page('ada', { rows: 8, size: 10 });
    assert.equal(page.userId, 'ada');
    assert.ok(page.rows.length > 0 && page.rows[0].items.length > 0, 'the page has rows with items');
    const row = page.rows[0];
    const pick = row.items[0].itemId;
    assert.ok(!itemsOf(page).includes('gown-1'), 'a retired item is never served');
    const rent = await client.events.send([{
      id: 'e-ada-rent', type: 'rent', userId: 'ada', itemId: pick, size: '8',
      context: { pageId: page.pageId, rowId: row.rowId, position: 0 },
    }]);
    assert.equal(rent.accepted, 1);
    const next = await client.recommendations.page('ada', { rows: 8, size: 10 });
    assert.notEqual(next.pageId, page.pageId);
    assert.ok(!itemsOf(next).includes(pick), `${pick} is held now and must not be on the page`);
    assert.deepEqual((await client.users.get('ada')).held, [pick]);
  });

  it('lists: recommendations, rank, similar, occasion items', async () => {
    const { held } = await client.users.get('ada');
    const recs = await client.recommendations.forUser('ada', { n: 3 });
    assert.ok(recs.items.length > 0 && recs.items.length <= 3);
    assert.ok(recs.items.every((i) => !held.includes(i.itemId)));
    const ranked = await client.recommendations.rank('ada', ['dress-3', 'dress-4', 'dress-5']);
    assert.deepEqual(ranked.items.map((i) => i.itemId).sort(), ['dress-3', 'dress-4', 'dress-5']);
    const similar = await client.recommendations.similar('dress-3', { n: 5, userId: 'ada' });
    assert.ok(!similar.items.some((i) => i.itemId === 'dress-3'), 'an item is not similar to itself');
    const wedding = await client.recommendations.occasion('wedding', { n: 5, userId: 'ada' });
    assert.deepEqual([wedding.occasion, Array.isArray(wedding.items)], ['wedding', true]);
  });

  it('errors surface as VitrineApiError with status, registered code, message and details', async () => {
    const missing = await apiError(client.items.get('nope'));
    assert.deepEqual([missing.status, missing.code, missing.message, missing.request], [404, 'VITRINE_ITEM_NOT_FOUND', 'no item "nope"', 'GET /v1/items/nope']);
    assert.equal((await apiError(client.recommendations.similar('nope'))).code, 'VITRINE_ITEM_NOT_FOUND');
    assert.equal((await apiError(client.users.forget('nobody'))).code, 'VITRINE_USER_NOT_FOUND');
    const badId = await apiError(client.users.get('x'.repeat(200)));
    assert.deepEqual([badId.status, badId.code], [400, 'VITRINE_REQUEST_BAD_ID']);
    const unknownField = await apiError(client.items.put('g-2', { title: 'G', category: 'gown', colour: 'red' } as ItemInput));
    assert.deepEqual([unknownField.status, unknownField.code], [400, 'VITRINE_REQUEST_UNKNOWN_FIELD']);
    const tooMany = await apiError(client.recommendations.page('ada', { rows: 999 }));
    assert.deepEqual([tooMany.status, tooMany.code], [400, 'VITRINE_REQUEST_INVALID']);
    assert.ok(Array.isArray(tooMany.details), 'schema failures carry details');
  });

  it('merchandising: a carousel in a stored home template becomes a row of the page, in the stylist\'s order', async () => {
    const carousel = await client.carousels.put('edit-1', { title: 'Editor picks', itemIds: ['dress-4', 'dress-3', 'ghost'], personalize: false });
    assert.deepEqual(carousel.unservable, [{ itemId: 'ghost', reason: 'unknown' }]);
    assert.deepEqual((await client.carousels.get('edit-1')).itemIds, ['dress-4', 'dress-3', 'ghost']);
    assert.deepEqual((await client.carousels.list()).map((c) => c.id), ['edit-1']);
    const home = await client.pages.put('home', { rows: [{ kind: 'curated', carouselId: 'edit-1' }, { kind: 'for-you' }] });
    assert.equal(home.source, 'stored');
    assert.deepEqual((await client.pages.get('home')).rows.map((r) => r.kind), ['curated', 'for-you']);
    assert.ok((await client.pages.list()).some((p) => p.name === 'home' && p.source === 'stored'));
    const page = await client.recommendations.page('ada');
    const curated = page.rows.find((r) => r.kind === 'curated');
    assert.deepEqual([curated?.title, curated?.items.map((i) => i.itemId)], ['Editor picks', ['dress-4', 'dress-3']]);
    assert.equal((await apiError(client.pages.put('bad', { rows: [{ kind: 'nonsense' }] }))).code, 'VITRINE_PAGE_INVALID');
    assert.deepEqual(await client.carousels.delete('edit-1'), { id: 'edit-1', deleted: true });
    assert.equal((await apiError(client.carousels.get('edit-1'))).code, 'VITRINE_CAROUSEL_NOT_FOUND');
  });

  it('experiments: a running experiment labels pages, and its report counts them', async () => {
    const exp = await client.experiments.put('exp-1', { variants: [{ name: 'control', weight: 1 }, { name: 'b', weight: 1 }], status: 'running' });
    assert.deepEqual(exp.variants.map((v) => v.label), ['exp-1:control', 'exp-1:b']);
    assert.equal((await client.experiments.get('exp-1')).status, 'running');
    assert.deepEqual((await client.experiments.list()).map((e) => e.id), ['exp-1']);
    const page = await client.recommendations.page('ada');
    assert.match(page.variant, /^exp-1:(control|b)$/);
    const report = await client.experiments.report('exp-1');
    const mine = report.variants.find((v) => v.label === page.variant);
    assert.ok(mine && mine.users === 1 && mine.pages >= 1, JSON.stringify(mine));
    const bad = await apiError(client.experiments.put('exp-2', { variants: [{ name: 'a', weight: 0 }] }));
    assert.equal(bad.code, 'VITRINE_EXPERIMENT_BAD_WEIGHTS');
    await client.experiments.put('exp-1', { variants: exp.variants.map(({ name, weight }) => ({ name, weight })), status: 'stopped' });
    await client.experiments.put('exp-3', { variants: [{ name: 'control', weight: 1 }], status: 'running' });
    assert.match((await client.recommendations.page('bob')).variant, /^exp-3:/);
    assert.deepEqual(await client.experiments.delete('exp-3'), { id: 'exp-3', deleted: true });
    assert.deepEqual((await client.experiments.list()).map((e) => e.id), ['exp-1']);
    assert.equal((await client.recommendations.page('bob')).variant, 'default', 'members leave a deleted experiment at once');
    assert.equal((await apiError(client.experiments.delete('exp-3'))).code, 'VITRINE_EXPERIMENT_NOT_FOUND');
  });

  it('models: 409 and 404 on an empty registry, then train, wait for the job, activate', async () => {
    assert.deepEqual((await client.models.list()).models, []);
    const noPrevious = await apiError(client.models.rollback('popularity'));
    assert.deepEqual([noPrevious.status, noPrevious.code], [409, 'VITRINE_MODEL_NO_PREVIOUS']);
    assert.equal((await apiError(client.models.activate('nope'))).code, 'VITRINE_MODEL_NOT_FOUND');
    assert.equal((await apiError(client.models.job('nope'))).code, 'VITRINE_JOB_NOT_FOUND');

    const started = await client.models.train({ algorithms: ['popularity'] });
    assert.equal(started.status, 'running');
    const job = await client.models.waitForJob(started.jobId, { intervalMs: 50, signal: AbortSignal.timeout(HANG_GUARD_MS) });
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    const finished = await apiError(client.models.cancel(started.jobId));
    assert.deepEqual([finished.status, finished.code], [409, 'VITRINE_JOB_NOT_RUNNING'], 'a finished job cannot be cancelled');
    const [trained] = job.models;
    assert.deepEqual([trained.algorithm, trained.status], ['popularity', 'active']);
    const overview = await client.models.list();
    assert.equal(overview.serving.popularity?.current, trained.version);
    assert.deepEqual(overview.rowKinds.find((r) => r.kind === 'popular-in-your-size'),
      { kind: 'popular-in-your-size', asks: ['popularity'], algorithm: 'popularity', version: trained.version });
    assert.equal(await client.models.evaluation(), null, 'no evaluation kept in this data dir');
    assert.equal((await client.models.activate(trained.version)).status, 'active');
  });

  it('the suite called every route of /openapi.json through the client', async () => {
    const doc = await client.ops.openapi() as { paths: Record<string, Record<string, unknown>> };
    const missing: string[] = [];
    for (const [template, operations] of Object.entries(doc.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const method of Object.keys(operations)) {
        if (!calls.some((c) => c.method === method.toUpperCase() && pattern.test(c.pathname))) missing.push(`${method.toUpperCase()} ${template}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});

describe('client: API keys', () => {
  const READ = 'read-key-0123456789abcdef';
  const ADMIN = 'admin-key-0123456789abcdef';
  let t: TestApp;
  let base: string;
  before(async () => {
    t = await testApp({ config: { auth: { keys: [{ key: READ, scopes: ['read'] }, { key: ADMIN, scopes: ['admin'] }] } } });
    base = await listen(t);
  });
  after(async () => { await t?.close(); });

  it('an admin route without a key is 401, with a read key 403, with the admin key allowed', async () => {
    const anonymous = new VitrineClient({ baseUrl: base });
    const missing = await apiError(anonymous.models.list());
    assert.deepEqual([missing.status, missing.code], [401, 'VITRINE_AUTH_MISSING_KEY']);
    assert.equal((await apiError(new VitrineClient({ baseUrl: base, apiKey: 'wrong-key-000000000000' }).carousels.list())).code,
      'VITRINE_AUTH_INVALID_KEY');
    const reader = await apiError(new VitrineClient({ baseUrl: base, apiKey: READ }).carousels.list());
    assert.deepEqual([reader.status, reader.code], [403, 'VITRINE_AUTH_FORBIDDEN']);
    assert.deepEqual(await new VitrineClient({ baseUrl: base, apiKey: ADMIN }).carousels.list(), []);
    assert.deepEqual(await anonymous.ops.health(), { status: 'ok' }, 'health stays public');
    assert.deepEqual((await apiError(anonymous.ops.session())).code, 'VITRINE_AUTH_MISSING_KEY');
    assert.deepEqual(await new VitrineClient({ baseUrl: base, apiKey: READ }).ops.session(), { open: false, scopes: ['read'] });
    assert.deepEqual(await new VitrineClient({ baseUrl: base, apiKey: ADMIN }).ops.session(), { open: false, scopes: ['read', 'write', 'admin'] });
  });

  it('sends the key as a bearer token, with the client\'s extra headers', async () => {
    const seen: Array<Record<string, string>> = [];
    const spy: FetchLike = (url, init) => {
      seen.push(init.headers as Record<string, string>);
      return fetch(url, init);
    };
    const reader = new VitrineClient({ baseUrl: base, apiKey: READ, fetch: spy, headers: { 'x-console': 'test' } });
    assert.deepEqual(await reader.ops.stats(), { items: 0, users: 0, events: 0, store: 'sqlite' });
    assert.equal(seen[0].authorization, `Bearer ${READ}`);
    assert.equal(seen[0]['x-console'], 'test');
  });
});
