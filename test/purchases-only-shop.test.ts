/**
 * A plain shop: no sizes, no rentals, only `purchase` events imported from events-jsonl. The default
 * training list trains on purchases as positives, the gate crowns a champion, and the page's for-you
 * row comes from it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../src/core/config.ts';
import { DAY_MS } from '../src/core/time.ts';
import { seededUniform } from '../src/ml/common/rng.ts';
import { recordedChampion } from '../src/pipeline/champion.ts';
import { importEventsJsonl, importItemsJsonl } from '../src/pipeline/import/index.ts';
import { trainModels } from '../src/pipeline/model-training.ts';
import { loadTrainingData } from '../src/pipeline/training-data.ts';
import { buildApp, type VitrineApp } from '../src/serving/app.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import type { ModelRecord } from '../src/storage/store.ts';
import { UNHURRIED_SERVING } from './helpers/unhurried.ts';

const T0 = Date.UTC(2025, 0, 1);
const NOW = T0 + 40 * DAY_MS;
const GROUPS = 6;
const ITEMS_PER_GROUP = 8;
const BOUGHT = 5;

/** Six taste groups of eight products; each of 12 members per group buys 5 of their group's, one a day. */
function shopFiles(dir: string): { items: string; events: string; unbought: Map<string, string[]> } {
  const random = seededUniform(11);
  const items: string[] = [];
  for (let g = 0; g < GROUPS; g++) for (let i = 0; i < ITEMS_PER_GROUP; i++) items.push(JSON.stringify({ id: `g${g}p${i}`, title: `product ${g}.${i}`, category: `aisle-${g}` }));
  const events: string[] = [];
  const unbought = new Map<string, string[]>();
  let n = 0;
  for (let g = 0; g < GROUPS; g++) {
    for (let m = 0; m < 12; m++) {
      const userId = `g${g}m${m}`;
      const order = Array.from({ length: ITEMS_PER_GROUP }, (_, i) => `g${g}p${i}`).sort(() => random() - 0.5);
      const start = Math.floor(random() * 20);
      order.slice(0, BOUGHT).forEach((itemId, j) => events.push(JSON.stringify({ id: `p${n++}`, type: 'purchase', userId, itemId, ts: T0 + (start + 3 * j) * DAY_MS })));
      unbought.set(userId, order.slice(BOUGHT));
    }
  }
  writeFileSync(join(dir, 'items.jsonl'), `${items.join('\n')}\n`);
  writeFileSync(join(dir, 'events.jsonl'), `${events.join('\n')}\n`);
  return { items: join(dir, 'items.jsonl'), events: join(dir, 'events.jsonl'), unbought };
}

describe('a purchases-only shop', () => {
  let dir: string;
  let store: SqliteStore;
  let built: VitrineApp;
  let records: ModelRecord[];
  let unbought: Map<string, string[]>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-shop-'));
    store = new SqliteStore(join(dir, 'vitrine.db'));
    const files = shopFiles(dir);
    unbought = files.unbought;
    await importItemsJsonl(store, files.items);
    const imported = await importEventsJsonl(store, files.events);
    assert.equal(imported.events, GROUPS * 12 * BOUGHT);
    let tick = NOW;
    records = await trainModels(store, dir, { clock: () => (tick += 1000) });
    const config = resolveConfig({ dataDir: dir, serving: UNHURRIED_SERVING, training: { inWorker: false } });
    built = await buildApp({ config, store, clock: () => NOW, logger: false });
    await built.app.ready();
  });
  after(async () => {
    await built.app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('purchases are the positives every algorithm trains on', async () => {
    const data = await loadTrainingData(store);
    assert.deepEqual(data.positiveTypes, ['rent', 'purchase']);
    assert.equal(data.interactions.users.length, GROUPS * 12 * BOUGHT);
    for (const a of ['popularity-recent', 'item-knn', 'ease', 'als', 'hybrid']) {
      assert.equal(records.find((r) => r.algorithm === a)?.status, 'active', `${a}: ${records.find((r) => r.algorithm === a)?.note}`);
    }
    assert.equal(records.find((r) => r.algorithm === 'fit')?.status, 'rejected', 'no fit feedback in a shop');
  });

  it('the page\'s for-you row comes from the champion: the rest of the member\'s aisle first', async () => {
    const champion = recordedChampion(await store.listModels());
    assert.ok(champion, 'the gate crowned a champion');
    assert.ok(['item-knn', 'ease', 'als', 'hybrid'].includes(champion.algorithm), `a personalised ranker wins: ${champion.algorithm}`);
    const version = records.find((r) => r.algorithm === champion.algorithm)?.version;
    const home = (await built.app.inject({ method: 'GET', url: '/v1/users/g2m3/page' })).json();
    assert.equal(home.modelVersion, version);
    await built.app.inject({ method: 'PUT', url: '/v1/pages/solo', payload: { rows: [{ kind: 'for-you' }] } });
    for (const userId of ['g0m0', 'g2m3', 'g5m11']) {
      const page = (await built.app.inject({ method: 'GET', url: `/v1/users/${userId}/page?page=solo&size=10` })).json();
      assert.equal(page.modelVersion, version);
      const shown = page.rows[0].items.map((i: { itemId: string }) => i.itemId);
      assert.deepEqual(shown.slice(0, 3).sort(), [...(unbought.get(userId) ?? [])].sort(), `${userId}: ${shown.join(', ')}`);
    }
  });
});
