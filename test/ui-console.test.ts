import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { VitrineClient } from 'vitrine/client';
import { browserSkipReason, launchBrowser } from './helpers/browser.ts';
import { testApp, type TestApp } from './helpers/app.ts';

const skip = browserSkipReason();

describe('console UI in a real browser', { skip }, () => {
  let t: TestApp;
  let browser: BrowserContext;
  let base: string;
  before(async () => {
    t = await testApp();
    await t.store.upsertItems([
      { id: 'gown-1', title: 'Emerald Column Gown', category: 'gown', brand: 'Ardent', attributes: { colour: 'emerald' }, sizes: { '6': 1, '8': 0 } },
      { id: 'sheath-2', title: 'Black Silk Sheath', category: 'sheath', attributes: { colour: 'black' }, sizes: { '8': 2 } },
    ], Date.now());
    await t.store.upsertUser('ada', { sizes: ['6'], preferences: { styles: ['evening'] } }, Date.now());
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the catalogue and members, and a rent click is reflected in the member card', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.locator('[data-item="gown-1"]').waitFor();
    assert.equal(await page.locator('.item').count(), 2);
    await page.getByRole('button', { name: 'ada' }).click();
    await page.getByTestId('member-held').waitFor();
    assert.equal(await page.getByTestId('member-held').textContent(), 'nothing');
    await page.locator('[data-item="gown-1"] button.rent').click();
    await page.getByTestId('member-held').filter({ hasText: 'gown-1' }).waitFor();
    const events = await t.store.userEvents('ada');
    assert.deepEqual(events.map((e) => [e.type, e.itemId, e.size]), [['rent', 'gown-1', '6']], 'the rent went through the API with an available size');
    await page.close();
  });

  it('storefront: a member\'s page as rows with reasons; rent on an item takes it off the reloaded page', async () => {
    // through the API, so that serving's in-memory catalogue sees the new items
    const api = new VitrineClient({ baseUrl: base });
    const colours = ['navy', 'red', 'gold', 'blush', 'sage'];
    await api.items.batch(colours.map((colour, k) => ({
      id: `dress-${k}`, title: `${colour} wrap dress`, category: 'dress', brand: 'Maison Test', attributes: { colour }, sizes: { '8': 2 },
    })));
    await api.users.put('bea', { sizes: ['8'] });
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'bea' }).click();
    await page.getByRole('tab', { name: 'Storefront' }).click();
    const rows = page.locator('#storefrontRows .sf-row');
    await rows.first().waitFor();
    assert.ok(await rows.count() >= 1);
    assert.ok((await rows.first().locator('h3').textContent())?.trim(), 'rows have titles');
    assert.equal(await page.getByTestId('sf-variant').textContent(), 'default');
    await page.getByTestId('sf-fallbacks').waitFor();

    const first = rows.first().locator('.sf-item').first();
    const itemId = await first.getAttribute('data-sf-item') as string;
    assert.match(itemId, /^(dress-\d|sheath-2)$/);
    assert.ok(await first.locator('.reason').count() === 1, 'each item shows its reason');
    const pageId = await page.locator('#storefrontRows').getAttribute('data-page-id');
    const rowId = await rows.first().getAttribute('data-row');
    await first.getByRole('button', { name: `rent ${itemId}` }).click();
    await page.waitForFunction((old) => document.getElementById('storefrontRows')?.dataset.pageId !== old, pageId);
    assert.equal(await page.locator(`#storefrontRows [data-sf-item="${itemId}"]`).count(), 0, 'the rented item left the page');
    await page.getByTestId('member-held').filter({ hasText: itemId }).waitFor();

    const rents = (await t.store.userEvents('bea', { limit: 1000 })).filter((e) => e.type === 'rent');
    assert.equal(rents.length, 1);
    const [rent] = rents;
    assert.deepEqual([rent.type, rent.itemId, rent.size, rent.context?.pageId, rent.context?.rowId, rent.context?.position],
      ['rent', itemId, '8', pageId, rowId, 0], 'the rent carries the page, row and position it came from');
    await page.close();
  });
});
