/**
 * The one contract every Store implementation passes (SQLite: store-sqlite.test.ts; PostgreSQL: store-postgres.test.ts).
 * Call `storeContract(name, open)` from a `*.test.ts` file with a factory that opens an empty store.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { VitrineEvent } from '../src/core/types.ts';
import type { Store } from '../src/storage/store.ts';

const T0 = Date.UTC(2026, 0, 1);
const ev = (id: string, type: VitrineEvent['type'], userId: string, itemId: string | undefined, ts: number, extra: Partial<VitrineEvent> = {}): VitrineEvent =>
  ({ id, type, userId, ...(itemId ? { itemId } : {}), ts, ...extra });

/** Registers the contract suite for one store implementation. */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('upserts items: created then updated, placeholder cleared, fields round-trip', async () => {
      const outcomes = await store.upsertItems([
        { id: 'd1', title: 'Red Sheath', category: 'sheath', brand: 'Marchetti', tags: ['red', 'silk'], attributes: { colour: 'red', lined: true },
          price: 120, sizes: { '4': 1, '6': 0 }, embedding: [0.5, -0.25, 1], availableFrom: T0 },
      ], T0);
      assert.deepEqual(outcomes, ['created']);
      const item = await store.getItem('d1');
      assert.ok(item);
      assert.equal(item.title, 'Red Sheath');
      assert.deepEqual(item.tags, ['red', 'silk']);
      assert.deepEqual(item.attributes, { colour: 'red', lined: true });
      assert.deepEqual(item.sizes, { '4': 1, '6': 0 });
      assert.deepEqual(item.embedding, [0.5, -0.25, 1]);
      assert.equal(item.availableFrom, T0);
      assert.equal(item.retired, false);
      assert.equal(item.placeholder, false);
      assert.deepEqual(await store.upsertItems([{ id: 'd1', title: 'Red Silk Sheath', category: 'sheath' }], T0 + 1), ['updated']);
      const updated = await store.getItem('d1');
      assert.equal(updated?.title, 'Red Silk Sheath');
      assert.equal(updated?.brand, undefined, 'a PUT replaces the item: omitted fields are cleared');
      assert.equal(updated?.createdAt, T0);
      assert.equal(updated?.updatedAt, T0 + 1);
    });

    it('retires items and replaces availability; unknown ids report false', async () => {
      await store.upsertItems([{ id: 'd1', title: 'A', category: 'dress', sizes: { '8': 2 } }], T0);
      assert.equal(await store.setAvailability('d1', { '8': 0, '10': 3 }, T0 + 5), true);
      assert.deepEqual((await store.getItem('d1'))?.sizes, { '8': 0, '10': 3 });
      assert.equal(await store.retireItem('d1', T0 + 6), true);
      assert.equal((await store.getItem('d1'))?.retired, true);
      assert.equal(await store.retireItem('nope', T0), false);
      assert.equal(await store.setAvailability('nope', {}, T0), false);
      assert.equal(await store.getItem('nope'), null);
    });

    it('merges availability: the sizes named change, the others stay', async () => {
      await store.upsertItems([{ id: 'm1', title: 'A', category: 'dress', sizes: { '8': 2, '10': 0, '12': 1 } }], T0);
      assert.deepEqual(await store.mergeAvailability('m1', { '10': 4, '14': 1 }, T0 + 5), { '8': 2, '10': 4, '12': 1, '14': 1 });
      assert.deepEqual((await store.getItem('m1'))?.sizes, { '8': 2, '10': 4, '12': 1, '14': 1 });
      assert.equal((await store.getItem('m1'))?.updatedAt, T0 + 5);
      assert.deepEqual(await store.mergeAvailability('m1', { '8': 0 }, T0 + 6), { '8': 0, '10': 4, '12': 1, '14': 1 });
      assert.equal(await store.mergeAvailability('nope', { '8': 1 }, T0), null);
      assert.equal(await store.getItem('nope'), null, 'a merge never creates an item');
    });

    it('lists items in id order with keyset paging', async () => {
      await store.upsertItems(['c', 'a', 'e', 'b', 'd'].map((id) => ({ id, title: id, category: 'x' })), T0);
      const first = await store.listItems({ limit: 2 });
      assert.deepEqual(first.map((i) => i.id), ['a', 'b']);
      const next = await store.listItems({ afterId: 'b', limit: 10 });
      assert.deepEqual(next.map((i) => i.id), ['c', 'd', 'e']);
      assert.equal(await store.countItems(), 5);
    });

    it('searches item titles and ids, lower-cased, in id order with keyset paging', async () => {
      await store.upsertItems([
        { id: 'g1', title: 'Emerald Column Gown', category: 'gown' }, { id: 'g2', title: 'Ruby Slip', category: 'dress' },
        { id: 'g3', title: 'Emerald Wrap', category: 'dress' }, { id: 'emerald-4', title: 'Scarf', category: 'accessory' },
      ], T0);
      assert.deepEqual((await store.listItems({ limit: 10, contains: 'emerald' })).map((i) => i.id), ['emerald-4', 'g1', 'g3']);
      assert.deepEqual((await store.listItems({ afterId: 'g1', limit: 10, contains: 'emerald' })).map((i) => i.id), ['g3']);
      assert.deepEqual((await store.listItems({ limit: 1, contains: 'slip' })).map((i) => i.id), ['g2']);
      assert.deepEqual(await store.listItems({ limit: 10, contains: 'velvet' }), []);
    });

    it('upserts members, keeping fields that an update omits', async () => {
      assert.equal(await store.upsertUser('m1', { sizes: ['8'], preferences: { styles: ['boho'] } }, T0), 'created');
      assert.equal(await store.upsertUser('m1', { upcoming: [{ occasion: 'wedding', date: T0 + 9 }] }, T0 + 1), 'updated');
      const user = await store.getUser('m1');
      assert.deepEqual(user?.sizes, ['8']);
      assert.deepEqual(user?.preferences, { styles: ['boho'] });
      assert.deepEqual(user?.upcoming, [{ occasion: 'wedding', date: T0 + 9 }]);
      assert.equal(await store.getUser('m2'), null);
    });

    it('upserts many members in one call with the same semantics', async () => {
      await store.upsertUser('m1', { sizes: ['8'], preferences: { styles: ['boho'] } }, T0);
      const outcomes = await store.upsertUsers([
        { id: 'm1', input: { sizes: ['10'] } }, { id: 'm2', input: { attributes: { bodyType: 'petite' } } },
      ], T0 + 1);
      assert.deepEqual(outcomes, ['updated', 'created']);
      assert.deepEqual((await store.getUser('m1'))?.sizes, ['10']);
      assert.deepEqual((await store.getUser('m1'))?.preferences, { styles: ['boho'] });
      assert.deepEqual((await store.getUser('m2'))?.attributes, { bodyType: 'petite' });
      assert.equal(await store.countUsers(), 2);
    });

    it('appends events once: duplicates by id (stored or in the same batch) are reported, not stored', async () => {
      const first = await store.appendEvents([ev('e1', 'view', 'm1', 'd1', T0), ev('e2', 'rent', 'm1', 'd1', T0 + 1, { size: '8' })]);
      assert.deepEqual(first, { accepted: 2, duplicates: [] });
      const second = await store.appendEvents([ev('e2', 'rent', 'm1', 'd1', T0 + 1), ev('e3', 'heart', 'm1', 'd2', T0 + 2), ev('e3', 'heart', 'm1', 'd2', T0 + 2)]);
      assert.deepEqual(second, { accepted: 1, duplicates: [0, 2] });
      assert.equal(await store.countEvents(), 3);
      assert.deepEqual(await store.userStats('m1'), { events: 3, rents: 1, hearts: 1, lastEventAt: T0 + 2 });
    });

    it('creates members first seen in an event, and items as uncatalogued placeholders', async () => {
      await store.upsertItems([{ id: 'd1', title: 'Known', category: 'dress' }], T0);
      await store.appendEvents([ev('e1', 'view', 'newbie', 'd1', T0), ev('e2', 'view', 'newbie', 'ghost', T0)]);
      const user = await store.getUser('newbie');
      assert.ok(user, 'a member first seen in an event exists');
      assert.deepEqual(user.sizes, []);
      const ghost = await store.getItem('ghost');
      assert.equal(ghost?.placeholder, true);
      assert.equal((await store.getItem('d1'))?.title, 'Known', 'an event never overwrites a catalogued item');
      await store.upsertItems([{ id: 'ghost', title: 'Now catalogued', category: 'gown' }], T0);
      assert.equal((await store.getItem('ghost'))?.placeholder, false);
    });

    it('keeps every event field, context included, and returns a member\'s events newest first', async () => {
      await store.appendEvents([
        ev('e1', 'rent', 'm1', 'd1', T0, { size: '8', fit: 'small', rating: 8, value: 30, occasion: 'wedding',
          context: { pageId: 'p1', rowId: 'r1', position: 3, variant: 'treatment', modelVersion: 'als-1' } }),
        ev('e2', 'click', 'm1', 'd2', T0 + 10),
      ]);
      const events = await store.userEvents('m1');
      assert.deepEqual(events.map((e) => e.id), ['e2', 'e1']);
      const { seq: _seq, ...rent } = events[1];
      assert.deepEqual(rent, ev('e1', 'rent', 'm1', 'd1', T0, { size: '8', fit: 'small', rating: 8, value: 30, occasion: 'wedding',
        context: { pageId: 'p1', rowId: 'r1', position: 3, variant: 'treatment', modelVersion: 'als-1' } }));
      assert.deepEqual((await store.userEvents('m1', { types: ['rent'] })).map((e) => e.id), ['e1']);
    });

    it('derives held items from rents and returns by time, whatever the arrival order', async () => {
      await store.appendEvents([
        ev('r2', 'return', 'm1', 'd1', T0 + 5),
        ev('r1', 'rent', 'm1', 'd1', T0 + 1),
        ev('r3', 'rent', 'm1', 'd2', T0 + 2),
        ev('r4', 'rent', 'm1', 'd3', T0 + 3),
        ev('r5', 'return', 'm1', 'd3', T0 + 4),
        ev('r6', 'rent', 'm1', 'd3', T0 + 6),
      ]);
      assert.deepEqual((await store.heldItems('m1')).sort(), ['d2', 'd3']);
      assert.deepEqual(await store.heldItems('nobody'), []);
    });

    it('builds the size profile from rented sizes and fit feedback', async () => {
      await store.appendEvents([
        ev('a', 'rent', 'm1', 'd1', T0, { size: '8' }),
        ev('b', 'return', 'm1', 'd1', T0 + 1, { size: '8', fit: 'small' }),
        ev('c', 'rent', 'm1', 'd2', T0 + 2, { size: '10', fit: 'fit' }),
        ev('d', 'view', 'm1', 'd3', T0 + 3),
      ]);
      // its entries, whatever its prototype (the SQLite store's has none: labels are members' data)
      assert.deepEqual({ ...await store.sizeProfile('m1') }, {
        '8': { rents: 1, small: 1, fit: 0, large: 0 },
        '10': { rents: 1, small: 0, fit: 1, large: 0 },
      });
    });

    it('keeps a size label named "__proto__" as an ordinary key (issue 20)', async () => {
      await store.appendEvents([ev('p', 'rent', 'm2', 'd1', T0, { size: '__proto__', fit: 'large' })]);
      const profile = await store.sizeProfile('m2');
      assert.deepEqual(Object.entries(profile), [['__proto__', { rents: 1, small: 0, fit: 0, large: 1 }]]);
      assert.equal(({} as Record<string, unknown>).rents, undefined);
    });

    it('scans events in arrival order with a sequence cursor', async () => {
      await store.appendEvents([ev('x1', 'view', 'a', 'i', T0 + 9), ev('x2', 'view', 'b', 'i', T0)]);
      await store.appendEvents([ev('x3', 'view', 'c', 'i', T0 + 1)]);
      const page1 = await store.scanEvents({ afterSeq: 0, limit: 2 });
      assert.deepEqual(page1.map((e) => e.id), ['x1', 'x2']);
      const page2 = await store.scanEvents({ afterSeq: page1[1].seq, limit: 2 });
      assert.deepEqual(page2.map((e) => e.id), ['x3']);
      // the signals scan: the same events, the fields online counts read, absent ones left out
      await store.appendEvents([{ ...ev('x4', 'rent', 'd', 'i2', T0 + 2), size: '8', occasion: 'wedding' }]);
      const signals = await store.scanEventSignals({ afterSeq: page1[1].seq, limit: 5 });
      assert.deepEqual(signals.map(({ seq: _seq, ...rest }) => rest), [
        { id: 'x3', type: 'view', itemId: 'i', ts: T0 + 1 },
        { id: 'x4', type: 'rent', itemId: 'i2', ts: T0 + 2, size: '8', occasion: 'wedding' },
      ]);
      assert.deepEqual(signals.map((s) => s.seq), (await store.scanEvents({ afterSeq: page1[1].seq, limit: 5 })).map((e) => e.seq));
    });

    it('forgets a member: profile, events and served pages gone, others untouched', async () => {
      await store.upsertUser('m1', { sizes: ['8'] }, T0);
      await store.appendEvents([ev('a', 'rent', 'm1', 'd1', T0), ev('b', 'rent', 'm2', 'd1', T0)]);
      await store.putImpression({ pageId: 'p1', userId: 'm1', ts: T0, rows: [{ rowId: 'r', kind: 'for-you', items: ['d1'] }] });
      assert.equal(await store.forgetUser('m1'), true);
      assert.equal(await store.getUser('m1'), null);
      assert.equal((await store.userStats('m1')).events, 0);
      assert.equal(await store.getImpression('p1'), null);
      assert.equal((await store.userStats('m2')).events, 1);
      assert.equal(await store.forgetUser('m1'), false);
    });

    it('keeps the model registry and impressions', async () => {
      await store.putModel({ version: 'v1', algorithm: 'als', status: 'active', createdAt: T0, metrics: { ndcg: 0.1 }, params: { factors: 64 } });
      await store.putModel({ version: 'v2', algorithm: 'ease', status: 'training', createdAt: T0 + 1, metrics: {} });
      await store.putModel({ version: 'v2', algorithm: 'ease', status: 'rejected', createdAt: T0 + 1, metrics: { ndcg: 0.05 }, note: 'below gate' });
      assert.deepEqual((await store.listModels()).map((m) => [m.version, m.status]), [['v2', 'rejected'], ['v1', 'active']]);
      assert.deepEqual((await store.getModel('v1'))?.params, { factors: 64 });
      assert.equal(await store.getModel('v9'), null);
      // a status change across versions is written whole
      await store.putModels([{ version: 'v1', algorithm: 'als', status: 'previous', createdAt: T0, metrics: { ndcg: 0.1 } },
        { version: 'v3', algorithm: 'als', status: 'active', createdAt: T0 + 2, metrics: {} }]);
      assert.deepEqual((await store.listModels()).map((m) => [m.version, m.status]), [['v3', 'active'], ['v2', 'rejected'], ['v1', 'previous']]);
      await store.putImpression({ pageId: 'p1', userId: 'm1', ts: T0, variant: 'a', modelVersion: 'v1', rows: [{ rowId: 'r1', kind: 'trending', items: ['x'] }] });
      await store.putImpression({ pageId: 'p2', userId: 'm1', ts: T0 + 5, rows: [{ rowId: 'r1', kind: 'for-you', items: ['y'] }] });
      assert.equal((await store.lastImpression('m1'))?.pageId, 'p2');
      assert.deepEqual((await store.getImpression('p1'))?.rows, [{ rowId: 'r1', kind: 'trending', items: ['x'] }]);
    });

    it('keeps carousels: upsert keeps createdAt, optional fields round-trip and clear, delete reports unknown ids', async () => {
      assert.equal(await store.putCarousel({ id: 'c1', title: 'Wedding guest', itemIds: ['d2', 'd1', 'ghost'], personalize: true,
        activeFrom: T0, activeTo: T0 + 99, audience: { segments: ['size:8'] } }, T0), 'created');
      assert.equal(await store.putCarousel({ id: 'c0', title: 'Basics', itemIds: ['d1'], personalize: false }, T0 + 1), 'created');
      const c1 = await store.getCarousel('c1');
      assert.deepEqual(c1, { id: 'c1', title: 'Wedding guest', itemIds: ['d2', 'd1', 'ghost'], personalize: true,
        activeFrom: T0, activeTo: T0 + 99, audience: { segments: ['size:8'] }, createdAt: T0, updatedAt: T0 });
      assert.equal(await store.putCarousel({ id: 'c1', title: 'Wedding guests', itemIds: ['d1'], personalize: false }, T0 + 5), 'updated');
      assert.deepEqual(await store.getCarousel('c1'), { id: 'c1', title: 'Wedding guests', itemIds: ['d1'], personalize: false,
        createdAt: T0, updatedAt: T0 + 5 }, 'a PUT replaces the carousel: omitted fields are cleared');
      assert.deepEqual((await store.listCarousels()).map((c) => c.id), ['c0', 'c1']);
      assert.equal(await store.deleteCarousel('c0'), true);
      assert.equal(await store.deleteCarousel('c0'), false);
      assert.equal(await store.getCarousel('c0'), null);
    });

    it('keeps page templates by name', async () => {
      const rows = [{ kind: 'for-you', size: 12 }, { kind: 'curated', carouselId: 'c1', title: 'Picks' }, { kind: 'trending' }];
      assert.equal(await store.putPageTemplate({ name: 'home', rows, maxRows: 6 }, T0), 'created');
      assert.equal(await store.putPageTemplate({ name: 'about', rows: [{ kind: 'new-arrivals' }] }, T0), 'created');
      assert.deepEqual(await store.getPageTemplate('home'), { name: 'home', rows, maxRows: 6, createdAt: T0, updatedAt: T0 });
      assert.equal(await store.putPageTemplate({ name: 'home', rows: [{ kind: 'style' }] }, T0 + 3), 'updated');
      assert.deepEqual(await store.getPageTemplate('home'), { name: 'home', rows: [{ kind: 'style' }], createdAt: T0, updatedAt: T0 + 3 });
      assert.deepEqual((await store.listPageTemplates()).map((t) => t.name), ['about', 'home']);
      assert.equal(await store.getPageTemplate('nope'), null);
    });

    it('keeps experiments oldest first; an update keeps createdAt', async () => {
      const variants = [{ name: 'control', weight: 1, config: {} }, { name: 'ease', weight: 3, config: { model: 'ease', rowOrder: 'fixed' as const } }];
      assert.equal(await store.putExperiment({ id: 'x2', variants, status: 'draft' }, T0 + 1), 'created');
      assert.equal(await store.putExperiment({ id: 'x1', variants, status: 'running' }, T0), 'created');
      assert.equal(await store.putExperiment({ id: 'x2', variants, status: 'running' }, T0 + 9), 'updated');
      assert.deepEqual(await store.getExperiment('x2'), { id: 'x2', variants, status: 'running', createdAt: T0 + 1, updatedAt: T0 + 9 });
      assert.deepEqual((await store.listExperiments()).map((e) => e.id), ['x1', 'x2']);
      assert.equal(await store.getExperiment('x9'), null);
      assert.equal(await store.deleteExperiment('x1'), true);
      assert.equal(await store.deleteExperiment('x1'), false);
      assert.deepEqual((await store.listExperiments()).map((e) => e.id), ['x2']);
    });

    it('stores a served page and its impression events in one call; a page served to an unknown id creates no member', async () => {
      await store.upsertUser('m1', {}, T0);
      const page = { pageId: 'p1', userId: 'm1', ts: T0, variant: 'x:a', modelVersion: 'v1', rows: [{ rowId: 'r1', kind: 'trending', items: ['d1', 'd2'] }] };
      await store.putImpressionWithEvents(page, ['d1', 'd2'].map((itemId, position) => ev(`imp:p1:${position}`, 'impression', 'm1', itemId, T0,
        { context: { pageId: 'p1', rowId: 'r1', position, variant: 'x:a', modelVersion: 'v1' } })));
      assert.deepEqual((await store.getImpression('p1'))?.rows, page.rows);
      const events = await store.userEvents('m1', { types: ['impression'] });
      assert.deepEqual(events.map((e) => [e.itemId, e.context?.position, e.context?.variant]).sort(), [['d1', 0, 'x:a'], ['d2', 1, 'x:a']]);
      assert.deepEqual(await store.userStats('m1'), { events: 0, rents: 0, hearts: 0, lastEventAt: null }, 'impressions are not actions');

      const [users, stored] = [await store.countUsers(), await store.countEvents()];
      await store.putImpressionWithEvents({ ...page, pageId: 'p2', userId: 'stranger' },
        [ev('imp:p2:0', 'impression', 'stranger', 'd1', T0, { context: { pageId: 'p2', rowId: 'r1', position: 0 } })]);
      assert.equal((await store.getImpression('p2'))?.userId, 'stranger', 'the page record is kept');
      assert.deepEqual([await store.countUsers(), await store.countEvents(), await store.getUser('stranger')], [users, stored, null],
        'no member and no event for an id the store does not hold');
    });

    it('lists a member\'s events of the types asked for before the limit; stats count actions only', async () => {
      await store.appendEvents([
        ev('r1', 'rent', 'm1', 'd1', T0), ev('h1', 'heart', 'm1', 'd2', T0 + 1),
        ...Array.from({ length: 5 }, (_, k) => ev(`i${k}`, 'impression', 'm1', 'd3', T0 + 10 + k)),
      ]);
      assert.deepEqual((await store.userEvents('m1', { limit: 2, types: ['rent', 'heart'] })).map((e) => e.id), ['h1', 'r1']);
      assert.deepEqual((await store.userEvents('m1', { limit: 2 })).map((e) => e.id), ['i4', 'i3'], 'no types: every event');
      assert.deepEqual(await store.userStats('m1'), { events: 2, rents: 1, hearts: 1, lastEventAt: T0 + 1 });
    });

    it('stores several served pages, each with its events, in one call', async () => {
      const rows = (item: string) => [{ rowId: 'r1', kind: 'for-you', items: [item] }];
      await store.upsertUser('mb', {}, T0);
      await store.putImpressionsWithEvents([
        { record: { pageId: 'b1', userId: 'mb', ts: T0, rows: rows('d1') }, events: [ev('imp:b1:0', 'impression', 'mb', 'd1', T0, { context: { pageId: 'b1', rowId: 'r1', position: 0 } })] },
        { record: { pageId: 'b2', userId: 'mb', ts: T0 + 7, variant: 'x:b', rows: rows('d2') }, events: [] },
      ]);
      assert.deepEqual((await store.getImpression('b1'))?.rows, rows('d1'));
      assert.equal((await store.lastImpression('mb'))?.pageId, 'b2', 'the newer page is the last one');
      assert.equal((await store.getImpression('b2'))?.variant, 'x:b');
      assert.deepEqual((await store.userEvents('mb', { types: ['impression'] })).map((e) => e.itemId), ['d1']);
      await store.putImpressionsWithEvents([]);
    });

    it('counts experiment exposure (pages, their items) and outcomes per variant: a named page\'s stored variant wins, else the event\'s own', async () => {
      const shown = (pageId: string, userId: string, variant: string, items: string[]) => store.putImpressionWithEvents(
        { pageId, userId, ts: T0, variant, rows: [{ rowId: 'r', kind: 'for-you', items }] },
        items.map((itemId, position) => ev(`imp:${pageId}:${position}`, 'impression', userId, itemId, T0, { context: { pageId, rowId: 'r', position, variant } })));
      await shown('pa1', 'u1', 'x:a', ['i1', 'i2', 'i3']);
      await shown('pa2', 'u1', 'x:a', ['i1', 'i4']);
      await shown('pb1', 'u2', 'x:b', ['i1', 'i2']);
      await shown('pb2', 'u3', 'x:b', ['i5', 'i6']);
      await shown('po1', 'u4', 'other:a', ['i1']);
      // a page stored without per-item events: its items still count as impressions
      await store.putImpression({ pageId: 'pa3', userId: 'u5', ts: T0, variant: 'x:a', rows: [{ rowId: 'r', kind: 'trending', items: ['i8', 'i9'] }] });
      await store.appendEvents([
        // an impression logged by a client on a page the server stored is not counted twice
        ev('ci1', 'impression', 'u1', 'i1', T0 + 1, { context: { pageId: 'pa1', variant: 'x:a' } }),
        // one naming no page counts for its own variant
        ev('ci2', 'impression', 'u8', 'i7', T0 + 1, { context: { variant: 'x:b' } }),
        // one naming a page that was never stored attributes nothing
        ev('ci3', 'click', 'u8', 'i7', T0 + 1, { context: { pageId: 'never-stored', variant: 'x:b' } }),
        // linked by page id (no variant echoed back): attributed to the page's variant
        ev('c1', 'click', 'u1', 'i1', T0 + 1, { context: { pageId: 'pa1', rowId: 'r', position: 0 } }),
        ev('c2', 'click', 'u2', 'i1', T0 + 1, { context: { pageId: 'pb1' } }),
        ev('c3', 'click', 'u3', 'i5', T0 + 1, { context: { pageId: 'pb2' } }),
        ev('c4', 'click', 'u3', 'i6', T0 + 1, { context: { pageId: 'pb2' } }),
        // a wrong variant echoed with a stored page id: the page's record wins
        ev('r1', 'rent', 'u2', 'i1', T0 + 2, { context: { pageId: 'pb1', variant: 'x:a' } }),
        // no page named: the event's own variant
        ev('r2', 'rent', 'u9', 'i7', T0 + 2, { context: { variant: 'x:b' } }),
        // neither: not attributed
        ev('c5', 'click', 'u1', 'i2', T0 + 3),
        ev('v1', 'view', 'u1', 'i2', T0 + 3, { context: { pageId: 'pa1' } }),
      ]);
      const counts = await store.experimentCounts(['x:a', 'x:b', 'x:c']);
      assert.deepEqual(counts['x:a'], { users: 2, pages: 3, impressions: 7, clicks: 1, rents: 0, clickers: 1, renters: 0 });
      assert.deepEqual(counts['x:b'], { users: 3, pages: 2, impressions: 5, clicks: 3, rents: 2, clickers: 2, renters: 2 });
      assert.deepEqual(counts['x:c'], { users: 0, pages: 0, impressions: 0, clicks: 0, rents: 0, clickers: 0, renters: 0 });
      assert.deepEqual({ ...await store.experimentCounts([]) }, {});
    });

    it('gives a full page back as written: 8 rows × 20 items, repeats, long ids, ids numbered by another page first', async () => {
      // 300 items: numbers past one varint byte; the same item twice in a row and across rows
      const itemIds = Array.from({ length: 300 }, (_, i) => `item-${i}-${'x'.repeat(i % 40)}`);
      const rowsOf = (offset: number) => Array.from({ length: 8 }, (_, r) => ({
        rowId: `row-${r}`, kind: r % 2 ? 'trending' : '__proto__', items: Array.from({ length: 20 }, (_, k) => itemIds[(offset + r * 37 + k * k) % 300]),
      }));
      const first = rowsOf(0), second = [...rowsOf(11), { rowId: 'empty', kind: 'for-you', items: [] }];
      second[0].items[1] = second[0].items[0];
      await store.putImpressionsWithEvents([
        { record: { pageId: 'full1', userId: 'm1', ts: T0, variant: 'e:a', modelVersion: 'als-1', rows: first }, events: [] },
        { record: { pageId: 'full2', userId: 'm2', ts: T0 + 1, rows: second }, events: [] },
      ]);
      assert.deepEqual(await store.getImpression('full1'), { pageId: 'full1', userId: 'm1', ts: T0, variant: 'e:a', modelVersion: 'als-1', rows: first });
      assert.deepEqual(await store.getImpression('full2'), { pageId: 'full2', userId: 'm2', ts: T0 + 1, rows: second });
      assert.deepEqual((await store.lastImpression('m2'))?.rows, second);
      assert.equal((await store.experimentCounts(['e:a']))['e:a'].impressions, 160, 'the stored item count');
    });

    it('deletes page records before a cutoff, oldest first, at most `limit` a call; forget still takes a member\'s pages', async () => {
      const page = (k: number, userId = `m${k % 3}`) => ({
        record: { pageId: `old${k}`, userId, ts: T0 + k * 1000, rows: [{ rowId: 'r', kind: 'for-you', items: [`d${k}`] }] }, events: [],
      });
      await store.putImpressionsWithEvents(Array.from({ length: 10 }, (_, k) => page(k)));
      // records 0..6 are before the cutoff; 2 a call
      const cutoff = T0 + 6500;
      assert.equal(await store.deletePageRecordsBefore(cutoff, 2), 2);
      assert.equal(await store.getImpression('old0'), null);
      assert.equal(await store.getImpression('old1'), null);
      assert.notEqual(await store.getImpression('old2'), null, 'oldest first: the third is still there');
      assert.equal(await store.deletePageRecordsBefore(cutoff, 100), 5);
      assert.equal(await store.deletePageRecordsBefore(cutoff, 100), 0);
      for (let k = 0; k < 10; k++) assert.equal((await store.getImpression(`old${k}`)) !== null, k >= 7, `old${k}`);
      await store.forgetUser('m1');
      assert.equal(await store.getImpression('old7'), null, 'm1\'s page');
      assert.notEqual(await store.getImpression('old8'), null, 'm2\'s page stays');
    });

    it('answers ping', async () => {
      await store.ping();
    });
  });
}
