import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
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
});
