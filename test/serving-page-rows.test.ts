/**
 * Row kinds, signals and the row-order bandit with known answers: style rows named by the style
 * clusters model, cold start from onboarding answers (content model), for-occasion titles, trending
 * in the member's size, back in your size, fit filters and reasons, and the bandit learning which
 * kinds a segment engages with.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VitrineEvent } from '../src/core/types.ts';
import { contentTrainer } from '../src/ml/content/content-trainer.ts';
import { styleClustersTrainer } from '../src/ml/style-clusters/style-clusters.ts';
import { Registry } from 'prom-client';
import { resolveConfig } from '../src/core/config.ts';
import { composePage, type PageRequest } from '../src/serving/page/compose/compose-page.ts';
import { PageEngine } from '../src/serving/page/page-engine.ts';
import { EngagementSignals } from '../src/serving/page/learning/engagement-signals.ts';
import { byScore, fitAdmitter } from '../src/serving/page/compose/fit-adjust.ts';
import { RowOrderBandit } from '../src/serving/page/learning/row-order-bandit.ts';
import { NO_EXPERIMENT } from '../src/serving/page/types.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { interactions, itemFeatures } from './helpers/ml-data.ts';
import { FakeModels, fakeWorld, item, member, NOW } from './helpers/serving-fakes.ts';
import { waitFor } from './helpers/wait-for.ts';
import { UNHURRIED_SERVING } from './helpers/unhurried.ts';

// three planted styles of 6 items (as in the style-clusters test)
const PLANTED = [
  { prefix: 'sheath', category: 'sheath', color: 'black', tag: 'cocktail' },
  { prefix: 'gown', category: 'gown', color: 'red', tag: 'wedding' },
  { prefix: 'jump', category: 'jumpsuit', color: 'white', tag: 'vacation' },
];
const features = Object.fromEntries(PLANTED.flatMap((g) => Array.from({ length: 6 }, (_, k) => [`${g.prefix}${k}`, { category: g.category, tags: [g.tag], attributes: { color: g.color } }])));
const rentals = PLANTED.flatMap((g, gi) => Array.from({ length: 6 }, (_, k) => [`m${gi}-${k % 2}`, `${g.prefix}${k}`] as [string, string]));
const data = interactions(rentals);
const items = itemFeatures(data.itemIds, features);
const catalogueItems = data.itemIds.map((id) => item(id, { title: id, category: features[id].category, sizes: { 8: 1 } }));
const fixed = (userId: string, over: Partial<PageRequest> = {}): PageRequest => ({
  userId, page: 'home', rows: 8, size: 4, variant: { ...NO_EXPERIMENT, config: { rowOrder: 'fixed' } }, ...over,
});

async function styleWorld() {
  const models = new FakeModels('content')
    .add(await styleClustersTrainer.train({ interactions: data, items }, { k: 3 }))
    .add(await contentTrainer.train({ interactions: data, items }));
  const w = fakeWorld({ items: catalogueItems, models });
  w.templates.set('home', { name: 'home', rows: [{ kind: 'style' }, { kind: 'style' }, { kind: 'for-you' }] });
  return w;
}

describe('row kinds', () => {
  it('style rows are the clusters that suit the member, named by the model, best first', async () => {
    const w = await styleWorld();
    w.online.members.set('ann', member('ann', { recent: [{ itemId: 'gown1', type: 'rent', ts: NOW, weight: 1 }] }));
    const { page } = await composePage(fixed('ann'), w.deps);
    const styles = page.rows.filter((r) => r.kind === 'style');
    assert.equal(styles[0].title, 'Red wedding gowns');
    assert.ok(styles[0].items.every((i) => i.itemId.startsWith('gown')), JSON.stringify(styles[0].items));
    assert.equal(styles[0].rowId, 'style');
    assert.equal(styles[1].rowId, 'style:1');
    assert.notEqual(styles[1].title, styles[0].title);
  });

  it('a new member with onboarding answers gets picks from them, not from popularity', async () => {
    const w = await styleWorld();
    w.online.members.set('new', member('new', { known: false, preferences: { styles: ['vacation'] } }));
    const { page } = await composePage(fixed('new'), w.deps);
    const forYou = page.rows.find((r) => r.kind === 'for-you');
    assert.deepEqual(forYou?.items.map((i) => i.itemId), ['jump4', 'jump5'], 'jumpsuits only (the style row above took the first four)');
    assert.equal(forYou?.items[0].reason, 'Matches the styles you told us about');
    assert.equal(page.rows[0].title, 'White vacation jumpsuits', 'the style row follows the answers too');
  });

  it('for-occasion: the upcoming occasion by date, else the usual one; trending in the member size', async () => {
    const w = fakeWorld({ items: ['a', 'b', 'c', 'd'].map((id) => item(id, { sizes: { 8: 1, 12: 1 } })) });
    w.templates.set('home', { name: 'home', rows: [{ kind: 'for-occasion' }, { kind: 'trending' }] });
    const ev = (id: string, itemId: string, size: string, occasion?: string): VitrineEvent => ({ id, type: 'rent', userId: 'x', itemId, ts: NOW - 1000, size, ...(occasion ? { occasion } : {}) });
    w.deps.signals.add([ev('1', 'a', '8', 'party'), ev('2', 'b', '12', 'party'), ev('3', 'b', '12', 'party'), ev('4', 'c', '8', 'vacation'), ev('5', 'c', '8')]);
    w.online.members.set('ann', member('ann', { sizes: ['8'], upcoming: [{ occasion: 'Vacation', date: Date.UTC(2026, 6, 14) }, { occasion: 'party', date: Date.UTC(2026, 5, 5) }] }));
    const { page } = await composePage(fixed('ann'), w.deps);
    assert.equal(page.rows[0].title, 'For your party on 5 June');
    assert.deepEqual(page.rows[0].items.map((i) => i.itemId), ['b', 'a']);
    assert.equal(page.rows[0].items[0].reason, 'Members rent it for parties');
    assert.equal(page.rows[1].title, 'Trending in your size 8');
    assert.equal(page.rows[1].items[0].itemId, 'c', 'most rented in size 8 (a and b were taken by the row above)');

    w.online.members.set('bo', member('bo', { recent: [{ itemId: 'c', type: 'rent', ts: NOW, weight: 1, occasion: 'vacation' }] }));
    assert.equal((await composePage(fixed('bo'), w.deps)).page.rows[0].title, 'For your next vacation');
  });

  it('back in your size: looks hearted, never rented, restocked in the size and available now', async () => {
    const w = fakeWorld({ items: [item('h1', { sizes: { 8: 1 } }), item('h2', { sizes: { 10: 1 } }), item('h3', { sizes: { 8: 1 } }), item('h4', { sizes: { 8: 1 } })] });
    w.templates.set('home', { name: 'home', rows: [{ kind: 'back-in-your-size' }] });
    w.online.members.set('ann', member('ann', {
      sizes: ['8'],
      recent: [{ itemId: 'h4', type: 'heart', ts: 4, weight: 0.6 }, { itemId: 'h3', type: 'rent', ts: 3, weight: 1 }, { itemId: 'h2', type: 'heart', ts: 2, weight: 0.6 },
        { itemId: 'h1', type: 'heart', ts: 1, weight: 0.6 }, { itemId: 'h3', type: 'heart', ts: 0, weight: 0.6 }],
    }));
    // h4 was never out of stock: never "back"
    for (const k of ['h1|8', 'h2|10', 'h3|8']) w.catalogue.restocks.add(k);
    const { page } = await composePage(fixed('ann'), w.deps);
    assert.deepEqual(page.rows.map((r) => [r.title, r.items.map((i) => i.itemId)]), [['Back in your size', ['h1']]]);
    assert.equal(page.rows[0].items[0].reason, 'Back in your size 8');
  });
});

describe('fit', () => {
  const p = { x: { small: 0.05, fit: 0.9, large: 0.05 }, y: { small: 0.85, fit: 0.1, large: 0.05 }, z: { small: 0.1, fit: 0.4, large: 0.5 } } as const;
  const fit = { predict: (_u: string, itemId: string) => p[itemId as keyof typeof p] };

  it('filters what will not fit, boosts what runs true to size, and says so', () => {
    const admit = fitAdmitter(fit, 'ann', '8', { filterBelow: 0.15, boost: 0.5 });
    const shown = ['z', 'y', 'x'].map((itemId) => admit({ itemId, score: 1, reason: 'Picked for you' }, true)).filter((i) => i !== undefined);
    assert.deepEqual(byScore(shown).map((i) => [i.itemId, i.reason]), [['x', 'Runs true to size for you'], ['z', 'May run large for you']]);
    assert.equal(admit({ itemId: 'x', score: 1, reason: 'Because you loved A' }, false)?.reason, 'Because you loved A');
  });

  it('a fit model that throws or answers nonsense changes nothing', () => {
    const broken = fitAdmitter({ predict: () => { throw new Error('no'); } }, 'ann', '8', { filterBelow: 0.5, boost: 1 });
    assert.deepEqual(broken({ itemId: 'y', score: 2 }, true), { itemId: 'y', score: 2 });
    const garbage = fitAdmitter({ predict: () => ({ small: NaN, fit: NaN, large: NaN }) }, 'ann', '8', { filterBelow: 0.5, boost: 1 });
    assert.deepEqual(garbage({ itemId: 'y', score: 2 }, true), { itemId: 'y', score: 2 });
  });

  it('warm predicts a batch once; a batch of the wrong shape or one that throws leaves the per-item path to decide', () => {
    const calls: string[][] = [];
    const batched = { ...fit, predictMany: (_u: string, ids: readonly string[]) => (calls.push([...ids]), ids.map((id) => p[id as keyof typeof p])) };
    const admit = fitAdmitter({ ...batched, predict: () => { throw new Error('per-item path must not run after warm'); } }, 'ann', '8', { filterBelow: 0.15, boost: 0.5 });
    admit.warm(['x', 'y', 'x', 'z']);
    admit.warm(['y']);
    assert.deepEqual(calls, [['x', 'y', 'z']], 'once, de-duplicated; what is cached is not asked again');
    assert.equal(admit({ itemId: 'y', score: 1 }, true), undefined);
    assert.equal(admit({ itemId: 'x', score: 1 }, true)?.reason, 'Runs true to size for you');
    for (const predictMany of [() => [p.x], () => { throw new Error('no'); }]) {
      const fallback = fitAdmitter({ ...fit, predictMany }, 'ann', '8', { filterBelow: 0.15, boost: 0.5 });
      fallback.warm(['x', 'y']);
      assert.equal(fallback({ itemId: 'y', score: 1 }, true), undefined, 'y still filtered, by predict');
    }
  });

  it('the page drops an item that will not fit the member', async () => {
    const w = fakeWorld({ items: ['x', 'y', 'z'].map((id) => item(id, { sizes: { 8: 1 } })), models: new FakeModels() });
    w.models.currents.set('fit', { version: 'fit-v1', algorithm: 'fit', model: { abilities: { fit } } as never });
    w.templates.set('home', { name: 'home', rows: [{ kind: 'new-arrivals' }] });
    w.online.members.set('ann', member('ann', { sizes: ['8'] }));
    const { page } = await composePage(fixed('ann'), w.deps);
    assert.deepEqual(page.rows[0].items.map((i) => i.itemId), ['x', 'z']);
  });
});

describe('engagement signals', () => {
  const ev = (id: string, type: VitrineEvent['type'], itemId: string, ts: number, size?: string): VitrineEvent => ({ id, type, userId: 'u', itemId, ts, ...(size ? { size } : {}) });

  it('recent rents outweigh old ones (half-life), per size and overall', () => {
    const s = new EngagementSignals(7, 0);
    const day = 86_400_000;
    s.add([ev('1', 'rent', 'old', 0, '8'), ev('2', 'rent', 'old', 0, '8'), ev('3', 'rent', 'new', 14 * day, '8'), ev('4', 'click', 'clicked', 14 * day)]);
    // two rents 14 days (two half-lives) ago weigh 0.5 against one rent now
    assert.deepEqual(s.top('size:8').ids, ['new', 'old']);
    assert.deepEqual([...s.top('size:8').scores], [1, 0.5]);
    assert.deepEqual(s.top('all').ids, ['new', 'old', 'clicked']);
  });

  it('seeds itself from the stored log without counting twice what arrives meanwhile', async () => {
    const store = new SqliteStore(':memory:');
    await store.appendEvents([ev('1', 'rent', 'a', 1), ev('2', 'rent', 'b', 1), ev('3', 'rent', 'b', 1)]);
    const s = new EngagementSignals(7, 0);
    const seeding = s.hydrate(store, 100);
    const live = ev('4', 'rent', 'a', 2);
    await store.appendEvents([live]);
    s.add([live]);
    assert.equal(await seeding, 4);
    assert.deepEqual(s.top('all').ids, ['a', 'b']);
    assert.ok(Math.abs(s.top('all').scores[1] - 2 / (1 + 2 ** (1 / (7 * 86_400_000)))) < 1e-9, 'a counted twice, b twice');
    await store.close();
  });
});

describe('row-order bandit', () => {
  const rows = ['for-you', 'trending', 'new-arrivals'].map((kind) => ({ kind }));
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);

  it('learns per segment which row kinds are engaged with, and still explores', () => {
    const bandit = new RowOrderBandit({ priorStrength: 10, random });
    for (let k = 0; k < 200; k++) {
      bandit.recordImpressions('size:8', ['for-you', 'trending', 'new-arrivals']);
      bandit.recordImpressions('size:14', ['for-you', 'trending', 'new-arrivals']);
      if (k % 2 === 0) bandit.recordEngagement('size:8', 'trending');
      if (k % 2 === 0) bandit.recordEngagement('size:14', 'new-arrivals');
      if (k % 20 === 0) bandit.recordEngagement('size:8', 'for-you');
    }
    const firsts = (segment: string) => {
      const counts: Record<string, number> = {};
      for (let k = 0; k < 200; k++) {
        const first = bandit.order(segment, rows, (r) => r.kind)[0].kind;
        counts[first] = (counts[first] ?? 0) + 1;
      }
      return counts;
    };
    assert.equal(firsts('size:8').trending, 200, 'a 50% row beats 5% and 0% rows once learnt');
    assert.equal(firsts('size:14')['new-arrivals'], 200, 'another segment, another winner');
    const fresh = firsts('size:20');
    assert.ok((fresh.trending ?? 0) > 0 && (fresh['new-arrivals'] ?? 0) > 0, `a new segment borrows the global prior and explores: ${JSON.stringify(fresh)}`);
    const posterior = bandit.posterior('size:8', 'trending');
    assert.ok(Math.abs(posterior.alpha / (posterior.alpha + posterior.beta) - 0.5) < 0.05);
  });

  it('pages served within serving.impressionFlushMs are logged in one batch, a full batch at once, the rest on close', async (t) => {
    // the flush window runs on mocked timers: a loaded machine cannot close it early (no wall-clock race)
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const w = fakeWorld({ items: [item('a')] });
    const batches: number[] = [];
    const engine = (flushMs: number) => new PageEngine({
      config: resolveConfig({ serving: { signalsScanLimit: 0, impressionFlushMs: flushMs, ...UNHURRIED_SERVING } }), store: new SqliteStore(':memory:'), online: w.online,
      catalogue: w.catalogue, models: w.models, merchandising: w.deps.merchandising, registry: new Registry(), clock: () => NOW,
      logImpressions: async (pages) => { batches.push(pages.length); },
    });
    const m = member('ann', { segment: 'size:8|tenure:new' });
    const page = (k: number) => ({ pageId: `pg-${k}`, userId: 'ann', variant: 'default', modelVersion: null, tookMs: 1, fallbacks: [],
      rows: [{ rowId: 'trending', kind: 'trending' as const, title: 'T', items: [{ itemId: 'a', score: 1 }] }] });
    const timed = engine(20);
    for (let k = 0; k < 3; k++) timed.served(page(k), m);
    await new Promise((done) => setImmediate(done));
    t.mock.timers.tick(19);
    assert.deepEqual(batches, [], 'not logged within the window');
    t.mock.timers.tick(1);
    await new Promise((done) => setImmediate(done));
    assert.deepEqual(batches, [3], 'one transaction for the three, when the window closes');
    for (let k = 0; k < 501; k++) timed.served(page(k), m);
    assert.deepEqual(batches, [3, 500], 'a full batch is logged at once');
    await timed.close();
    assert.deepEqual(batches, [3, 500, 1], 'close logs what is still waiting');
    const perTurn = engine(0);
    perTurn.served(page(9), m);
    await new Promise((done) => setImmediate(done));
    assert.deepEqual(batches.at(-1), 1, 'at 0: logged in the next turn');
    await perTurn.close();
  });

  it('the engine counts rows shown when a page is served and clicks that name a row of it', async () => {
    const store = new SqliteStore(':memory:');
    const w = fakeWorld({ items: [item('a')] });
    const engine = new PageEngine({
      config: resolveConfig({ serving: { signalsScanLimit: 0, ...UNHURRIED_SERVING } }), store, online: w.online, catalogue: w.catalogue, models: w.models,
      merchandising: w.deps.merchandising, registry: new Registry(), clock: () => NOW,
    });
    const m = member('ann', { segment: 'size:8|tenure:new' });
    const page = { pageId: 'pg-1', userId: 'ann', variant: 'default', modelVersion: null, tookMs: 1, fallbacks: [], rows: [
      { rowId: 'trending', kind: 'trending' as const, title: 'T', items: [{ itemId: 'a', score: 1 }] },
      { rowId: 'because-you-liked:b', kind: 'because-you-liked' as const, title: 'B', items: [{ itemId: 'c', score: 1 }] },
    ] };
    const before = engine.bandit.posterior(m.segment, 'because-you-liked');
    engine.served(page, m);
    engine.onEvents([{ id: 'c1', type: 'click', userId: 'ann', itemId: 'c', ts: NOW, context: { pageId: 'pg-1', rowId: 'because-you-liked:b', position: 0 } }]);
    const after = engine.bandit.posterior(m.segment, 'because-you-liked');
    assert.ok(after.alpha > before.alpha, 'the click counts for the row kind in the segment the page was served to');
    assert.ok(engine.bandit.posterior(m.segment, 'trending').beta > before.beta, 'trending shown, not clicked');
    await waitFor(async () => Boolean(await store.lastImpression('ann')), "ann's page record");
    assert.deepEqual((await store.lastImpression('ann'))?.rows.map((r) => r.items), [['a'], ['c']], 'the page is logged after it is sent');
    engine.close();
    await store.close();
  });

  it('rows of one kind keep their template order', () => {
    const bandit = new RowOrderBandit({ priorStrength: 10, random });
    const twoStyles = [{ kind: 'style', n: 0 }, { kind: 'for-you', n: 0 }, { kind: 'style', n: 1 }];
    for (let k = 0; k < 50; k++) {
      const order = bandit.order('s', twoStyles, (r) => r.kind).filter((r) => r.kind === 'style').map((r) => r.n);
      assert.deepEqual(order, [0, 1]);
    }
  });
});
