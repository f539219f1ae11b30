/**
 * Issue 20 item 3: a read never writes a member or an event. A page for an id the store does not
 * hold is a cold-start page and a page record, nothing else; members' event lists and stats count
 * what they did, not what they were shown.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from './helpers/app.ts';

const NOW = Date.UTC(2026, 2, 1);
const ITEMS = Array.from({ length: 30 }, (_, k) => ({ id: `look-${k}`, title: `Look ${k}`, category: 'dress', sizes: { 8: 2, 10: 1 } }));

/** Rows of the impressions table (the page log), read straight from the file. */
const pageRecords = (t: TestApp): number => t.store.db.prepare('SELECT count(*) FROM impressions').pluck().get() as number;

for (const impressionItemEvents of [false, true]) {
  describe(`reads never write (serving.impressionItemEvents = ${impressionItemEvents})`, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp({ now: NOW, config: { serving: { impressionItemEvents, impressionFlushMs: 0 } } });
      assert.equal((await t.app.inject({ method: 'POST', url: '/v1/items/batch', payload: { items: ITEMS } })).statusCode, 200);
    });
    after(async () => { await t.close(); });
    const flush = () => t.context.serving.apply({ kind: 'flush' });

    it('40 pages for ids never seen: members and events unchanged, 40 page records', async () => {
      const [users, events, pages] = [await t.store.countUsers(), await t.store.countEvents(), pageRecords(t)];
      for (let k = 0; k < 40; k++) {
        const res = await t.app.inject({ url: `/v1/users/stranger-${k}/page?rows=4&size=5` });
        assert.equal(res.statusCode, 200, res.body);
        assert.ok(res.json().rows.some((r: { items: unknown[] }) => r.items.length > 0), 'a cold-start page with items');
      }
      await flush();
      assert.equal(await t.store.countUsers(), users);
      assert.equal(await t.store.countEvents(), events);
      assert.equal(pageRecords(t), pages + 40, 'each page is logged as a page record');
      assert.equal((await t.app.inject({ url: '/v1/users/stranger-0' })).statusCode, 404, 'still no such member');
    });

    it("a member's event list and stats count actions; impressions only when asked for", async () => {
      const act = (id: string, type: string, itemId: string, ts: number) => ({ id, type, userId: 'ada', itemId, ts, ...(type === 'rent' ? { size: '8' } : {}) });
      const posted = await t.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [
        act('a1', 'view', 'look-1', NOW - 3000), act('a2', 'rent', 'look-2', NOW - 2000), act('a3', 'heart', 'look-3', NOW - 1000),
      ] } });
      assert.equal(posted.json().accepted, 3);
      for (let k = 0; k < 3; k++) assert.equal((await t.app.inject({ url: '/v1/users/ada/page?rows=4&size=5' })).statusCode, 200);
      await flush();
      const shown = impressionItemEvents ? 3 * 4 * 5 : 0;
      const impressions = await t.store.userEvents('ada', { types: ['impression'] });
      // rows may come out short of 5 items when the catalogue runs out of fresh looks: at most, and some
      assert.ok(impressionItemEvents ? impressions.length > 0 && impressions.length <= shown : impressions.length === 0, `${impressions.length} impression events`);

      const list = (query = '') => t.app.inject({ url: `/v1/users/ada/events${query}` });
      assert.deepEqual((await list()).json().events.map((e: { id: string }) => e.id), ['a3', 'a2', 'a1'], 'actions, newest first');
      assert.deepEqual((await list('?types=rent,heart&limit=1')).json().events.map((e: { id: string }) => e.id), ['a3'], 'filtered before the limit');
      assert.equal((await list('?types=impression&limit=1000')).json().events.length, impressions.length);
      const bad = await list('?types=rent,wink');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'VITRINE_REQUEST_INVALID');

      const member = (await t.app.inject({ url: '/v1/users/ada' })).json();
      assert.deepEqual(member.stats, { events: 3, rents: 1, hearts: 1, lastEventAt: NOW - 1000 });
    });
  });
}
