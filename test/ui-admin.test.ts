/**
 * The /admin console end to end in Debian's Chromium (playwright-core): the issue 24 flows, axe-core
 * on every screen at 1366 and 375 px, and what a key's scopes show. Screenshots go to test-results/
 * (UPDATE_SCREENSHOTS=1 also writes the README's two into docs/img/).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { VitrineClient } from 'vitrine/client';
import { RTR_CITATION } from '../src/eval/rtr-dataset.ts';
import { writeEvaluationReport } from '../src/pipeline/evaluation-report-file.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { seriousViolations } from './helpers/axe.ts';
import { browserSkipReason, launchBrowser } from './helpers/browser.ts';
import { MEMBERS, seedConsoleWorld } from './helpers/console-world.ts';
import { listen } from './helpers/listen.ts';

const skip = browserSkipReason();
const ARTIFACTS = 'test-results';

async function shot(page: Page, name: string, readme = false): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: false });
  if (readme && process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: `docs/img/${name}.png`, fullPage: false });
}

/** Opens a member's page in the storefront screen and waits for its rows. */
async function openMember(page: Page, base: string, userId: string): Promise<void> {
  await page.goto(`${base}/admin/storefront`);
  await page.getByRole('tablist').waitFor();
  // at narrow widths the member list starts folded, below the page
  const members = page.locator('.sf-side details');
  if (!(await members.evaluate((d) => (d as HTMLDetailsElement).open))) await members.locator('summary').click();
  await page.getByRole('searchbox', { name: 'Search members' }).fill(userId);
  await page.getByRole('button', { name: userId, exact: true }).click();
  await page.locator('.rows .row').first().waitFor();
}

const modelVersion = (page: Page) => page.getByTestId('model-version').textContent();

describe('the /admin console in Chromium', { skip }, () => {
  let t: TestApp;
  let api: VitrineClient;
  let base: string;
  let browser: BrowserContext;
  let firstVersion: string;
  before(async () => {
    // training on the HTTP thread: a job's worker thread would import the training code again (the
    // console's flows are under test here; training in a worker is training-jobs.test.ts's)
    t = await testApp({ config: { training: { inWorker: false } } });
    base = await listen(t);
    api = new VitrineClient({ baseUrl: base });
    await seedConsoleWorld(api, Date.now());
    const job = await api.models.waitForJob((await api.models.train({ algorithms: ['popularity'] })).jobId);
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    firstVersion = job.models[0].version;
    await writeEvaluationReport(t.dir, {
      writtenAt: Date.now(), command: 'vitrine evaluate --file rtr.csv --protocol user-time', citation: RTR_CITATION,
      report: { protocol: 'user-time', k: 10, users: 3, items: 36, dataset: 'rtr', results: { popularity: { ndcg: 0.25, recall: 0.5 } } },
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('onboards a member whose page then shows rows, and a rent takes the item off the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/admin`);
    const form = page.getByRole('form', { name: 'New member' });
    await form.getByLabel('Member id').fill('newbie');
    await form.getByLabel('Sizes').fill('8');
    await form.getByLabel('Styles').fill('evening');
    await form.getByLabel('Occasions').fill('wedding');
    await form.getByLabel('Occasion', { exact: true }).fill('wedding');
    await form.getByLabel('Date').fill('2027-06-01');
    await form.getByRole('button', { name: 'Create member' }).click();
    await page.getByRole('heading', { name: "newbie's page" }).waitFor();
    await page.locator('.rows .row').first().waitFor();
    const member = await api.users.get('newbie');
    assert.deepEqual([member.sizes, member.preferences.styles, member.upcoming.map((u) => u.occasion)], [['8'], ['evening'], ['wedding']]);
    await shot(page, 'admin-storefront', true);

    const card = page.locator('.rows .row').first().locator('.item').first();
    const itemId = await card.getAttribute('data-item') as string;
    const title = await card.locator('.title').textContent() as string;
    const pageId = await page.locator('.rows').getAttribute('data-page-id');
    const rowId = await page.locator('.rows .row').first().getAttribute('data-row');
    await card.getByRole('button', { name: `Rent ${title}` }).click();
    await page.waitForFunction((old) => document.querySelector<HTMLElement>('.rows')?.dataset.pageId !== old, pageId);
    assert.equal(await page.locator(`.rows [data-item="${itemId}"]`).count(), 0, 'the rented item left the page');
    await page.getByTestId('held').filter({ hasText: title }).waitFor();
    await page.getByTestId('history').filter({ hasText: `rent ${itemId}` }).waitFor();
    const [rent] = (await api.users.events('newbie', { types: ['rent'] }));
    assert.deepEqual([rent.itemId, rent.size, rent.context?.pageId, rent.context?.rowId, rent.context?.position], [itemId, '8', pageId, rowId, 0]);
    await page.close();
  });

  it('a carousel made in the console appears on a member\'s page', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/admin/merchandising`);
    const editor = page.getByRole('form', { name: 'Carousel editor' });
    await editor.getByLabel('Carousel id').fill('gold-edit');
    await editor.getByLabel('Title').fill('The gold edit');
    await editor.getByLabel('Search items').fill('gold');
    await editor.getByRole('button', { name: 'Add gold dress 4' }).click();
    await editor.getByRole('button', { name: 'Add gold gown 10' }).click();
    await editor.getByRole('button', { name: 'Move gold gown 10 up' }).click();
    assert.deepEqual(await page.getByTestId('carousel-items').locator('li span').allTextContents(), ['gold gown 10', 'gold dress 4']);
    await editor.getByRole('button', { name: 'Save carousel' }).click();
    await editor.getByRole('status').filter({ hasText: 'Saved carousel gold-edit' }).waitFor();
    assert.deepEqual((await api.carousels.get('gold-edit')).itemIds, ['it-10', 'it-04']);
    await page.getByRole('button', { name: 'Show the order for three members' }).click();
    const previews = page.locator('.side-by-side .card');
    await previews.nth(2).waitFor();
    assert.deepEqual(await previews.locator('h4').allTextContents(), MEMBERS.slice(0, 3));
    for (const k of [0, 1, 2]) assert.deepEqual((await previews.nth(k).locator('li').allTextContents()).sort(), ['gold dress 4', 'gold gown 10']);
    await shot(page, 'admin-merchandising');

    await openMember(page, base, MEMBERS[1]);
    const row = page.locator('.rows .row[data-kind="curated"]', { hasText: 'The gold edit' });
    await row.waitFor();
    assert.deepEqual((await row.locator('.item').evaluateAll((els) => els.map((e) => e.getAttribute('data-item')))).sort(), ['it-04', 'it-10']);
    await page.close();
  });

  it('a template set to a fixed order keeps that order on the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/admin/merchandising`);
    const editor = page.getByRole('form', { name: 'Template editor' });
    await editor.locator('.template-rows li').first().waitFor();
    // trending to the top, then new-arrivals second: an order the default template does not have
    for (let k = 0; k < 5; k++) await editor.getByRole('button', { name: /\(trending\) up$/ }).click();
    for (let k = 0; k < 5; k++) await editor.getByRole('button', { name: /\(new-arrivals\) up$/ }).click();
    await editor.getByLabel('Fixed (this order)').check();
    await editor.getByRole('button', { name: 'Save template' }).click();
    await editor.getByRole('status').filter({ hasText: 'Saved template home' }).waitFor();
    const template = await api.pages.get('home');
    assert.equal(template.rowOrder, 'fixed');
    const order = template.rows.map((r) => r.kind);
    assert.deepEqual(order.slice(0, 2), ['trending', 'new-arrivals']);

    for (const userId of [MEMBERS[2], MEMBERS[3]]) {
      await openMember(page, base, userId);
      const kinds = await page.locator('.rows .row').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind') as string));
      assert.deepEqual(kinds.slice(0, 2), ['trending', 'new-arrivals'], `${userId}: ${kinds.join(', ')}`);
      const positions = kinds.map((k) => order.indexOf(k));
      assert.deepEqual(positions, [...positions].sort((a, b) => a - b), `rows in the template's order: ${kinds.join(', ')}`);
    }
    await page.close();
  });

  it('training and rolling back in the console change the page\'s modelVersion', async () => {
    const page = await browser.newPage();
    await openMember(page, base, MEMBERS[4]);
    assert.equal(await modelVersion(page), firstVersion);

    await page.getByRole('tab', { name: 'Models' }).click();
    const params = page.getByLabel('Parameters (JSON, per algorithm)');
    await params.fill('{"popularity": ');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.getByRole('alert').filter({ hasText: 'parameters are not JSON' }).waitFor();
    await params.fill('{"no-such-algorithm": {}}');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.getByRole('alert').filter({ hasText: 'VITRINE_MODEL_UNKNOWN_ALGORITHM' }).waitFor();
    assert.equal((await api.models.list()).models.length, 1, 'refused before any job started');
    await params.fill('');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.locator('[data-testid="job"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('versions').locator('tbody tr').nth(1).waitFor();
    await shot(page, 'admin-models', true);
    // the member stays picked across screens; the storefront asks for a fresh page
    await page.getByRole('tab', { name: 'Storefront' }).click();
    await page.getByRole('heading', { name: `${MEMBERS[4]}'s page` }).waitFor();
    await page.getByTestId('model-version').filter({ hasNotText: firstVersion }).waitFor();
    const trained = await modelVersion(page);
    assert.notEqual(trained, firstVersion);
    assert.match(trained as string, /^popularity-/);

    await page.getByRole('tab', { name: 'Models' }).click();
    await page.getByRole('button', { name: 'Roll back popularity' }).click();
    await page.getByTestId('models-status').filter({ hasText: 'rolled back popularity' }).waitFor();
    // which version serves a row kind comes from the server (GET /v1/models rowKinds)
    await page.getByTestId('row-kinds').locator('tr[data-kind="popular-in-your-size"] td').first().filter({ hasText: firstVersion }).waitFor();
    // the data dir's latest offline evaluation, kept in before(), with the RTR citation
    const evaluation = page.getByTestId('evaluation');
    assert.deepEqual(await evaluation.locator('tr[data-algorithm="popularity"] td').allTextContents(), ['0.2500', '0.5000', '—', '—', '—', '—']);
    assert.match(await evaluation.locator('.citation').textContent() as string, /Misra, Wan & McAuley.*RecSys 2018/);
    await openMember(page, base, MEMBERS[4]);
    assert.equal(await modelVersion(page), firstVersion);
    await page.close();
  });

  it('an experiment naming a missing model is refused; a valid one is created and its report chart renders', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/admin/experiments`);
    const form = page.getByRole('form', { name: 'New experiment' });
    await form.getByLabel('Experiment id').fill('pop-vs-none');
    await form.getByRole('group', { name: 'Variant 2' }).getByLabel('Model').fill('no-such-model');
    await form.getByRole('button', { name: 'Create experiment' }).click();
    await form.getByRole('alert').filter({ hasText: 'VITRINE_EXPERIMENT_UNKNOWN_MODEL' }).waitFor();
    await assert.rejects(api.experiments.get('pop-vs-none'), /not found|no experiment/i);

    await form.getByRole('group', { name: 'Variant 2' }).getByLabel('Model').fill('popularity');
    await form.getByRole('button', { name: 'Create experiment' }).click();
    await page.getByTestId('report').waitFor();
    await page.getByRole('button', { name: 'Start pop-vs-none' }).click();
    await page.locator('[data-experiment="pop-vs-none"]', { hasText: 'running' }).waitFor();
    for (const userId of MEMBERS) await api.recommendations.page(userId);
    await page.getByRole('button', { name: 'Report of pop-vs-none' }).click();
    const chart = page.getByTestId('chart-ctr');
    await chart.locator('rect').nth(1).waitFor();
    assert.equal(await chart.locator('g.bar').count(), 2, 'one bar per variant');
    assert.match(await chart.locator('svg').getAttribute('aria-label') as string, /control .*95% interval/);
    await page.getByTestId('report').screenshot({ path: `${ARTIFACTS}/admin-experiment-report.png` });

    await page.getByRole('button', { name: 'Delete pop-vs-none' }).click();
    await page.getByRole('status').filter({ hasText: 'deleted pop-vs-none' }).waitFor();
    assert.deepEqual(await api.experiments.list(), []);
    assert.equal(await page.getByTestId('report').count(), 0, 'the deleted experiment\'s report is gone');
    await page.close();
  });

  it('has no serious or critical axe violations on any screen at 1366 and 375 px', async () => {
    const page = await browser.newPage();
    const found: string[] = [];
    for (const width of [1366, 375]) {
      await page.setViewportSize({ width, height: width > 500 ? 900 : 800 });
      for (const screen of ['storefront', 'merchandising', 'models', 'experiments', 'live']) {
        if (screen === 'storefront') await openMember(page, base, MEMBERS[5]);
        else {
          await page.goto(`${base}/admin/${screen}`);
          await page.getByRole('tabpanel').locator('h2').first().waitFor();
        }
        if (screen === 'live') await page.getByTestId('live').waitFor();
        found.push(...(await seriousViolations(page)).map((v) => `${screen} @${width}px: ${v}`));
        if (width === 375 && screen === 'storefront') {
          await shot(page, 'admin-storefront-375');
          const top = await page.locator('.rows .row').first().evaluate((e) => e.getBoundingClientRect().top);
          assert.ok(top < 400, `at 375 px the storefront's first row starts at ${top} px`);
        }
      }
    }
    assert.deepEqual(found, []);
    await page.close();
  });

  it('tabs follow the arrow keys and a skip link leads to the content; / is the same app, storefront first', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.getByRole('tab', { name: 'Storefront', selected: true }).waitFor();
    await page.locator('#panel-storefront').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.getByRole('tab', { name: 'Storefront' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Merchandising', selected: true }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-merchandising');
    assert.equal(new URL(page.url()).pathname, '/admin/merchandising');
    await page.keyboard.press('End');
    await page.getByRole('tab', { name: 'Live', selected: true }).waitFor();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Storefront', selected: true }).waitFor();
    await page.close();
  });
});

describe('the console with API keys', { skip }, () => {
  let t: TestApp;
  let base: string;
  let browser: BrowserContext;
  before(async () => {
    t = await testApp({ config: { auth: { keys: [{ key: 'reader-key-0123456789', scopes: ['read'] }, { key: 'admin-key-0123456789', scopes: ['admin'] }] } } });
    base = await listen(t);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('asks for a key, refuses a wrong one, and shows only the screens the key\'s scopes allow', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/admin`);
    const key = page.getByLabel('API key');
    await key.fill('wrong-key');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('alert').filter({ hasText: 'VITRINE_AUTH_INVALID_KEY' }).waitFor();

    await key.fill('reader-key-0123456789');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('tablist').waitFor();
    assert.deepEqual(await page.getByRole('tab').allTextContents(), ['Storefront', 'Live']);
    assert.equal(await page.getByRole('form', { name: 'New member' }).count(), 0, 'a read key cannot create members');
    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByLabel('API key').fill('admin-key-0123456789');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('tablist').waitFor();
    assert.deepEqual(await page.getByRole('tab').allTextContents(), ['Storefront', 'Merchandising', 'Models', 'Experiments', 'Live']);
    await page.close();
  });
});
