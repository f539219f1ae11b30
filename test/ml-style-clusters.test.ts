import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { ContentItemInput } from '../src/ml/content/item-tokens.ts';
import { plural } from '../src/ml/style-clusters/cluster-names.ts';
import { styleClustersTrainer, type StyleClustersModel } from '../src/ml/style-clusters/style-clusters.ts';
import { assertCode, interactions, itemFeatures, tempDir } from './helpers/ml-data.ts';

const { dir: root, cleanup } = tempDir();
after(cleanup);

// three planted styles of 8 items; each item also carries one of a few noise tags
const PLANTED = [
  { prefix: 'sheath', category: 'sheath', color: 'black', tag: 'cocktail' },
  { prefix: 'gown', category: 'gown', color: 'red', tag: 'wedding' },
  { prefix: 'jump', category: 'jumpsuit', color: 'white', tag: 'vacation' },
];
const NOISE = ['silk', 'lace', 'midi', 'stretch'];
const catalogue: Record<string, ContentItemInput> = {};
const rows: Array<[string, string]> = [];
PLANTED.forEach((g, gi) => {
  for (let k = 0; k < 8; k++) {
    catalogue[`${g.prefix}${k}`] = { category: g.category, tags: [g.tag, NOISE[(k + gi) % NOISE.length]], attributes: { color: g.color } };
    rows.push([`m${gi}-${k % 3}`, `${g.prefix}${k}`]);
  }
});
const data = interactions(rows);
const items = itemFeatures(data.itemIds, catalogue);
const train = async (params = {}): Promise<StyleClustersModel> =>
  (await styleClustersTrainer.train({ interactions: data, items }, { k: 3, ...params })) as StyleClustersModel;

test('k-means recovers the planted styles and names them from their dominant attributes', async () => {
  const model = await train();
  for (const g of PLANTED) {
    const clusters = new Set(Array.from({ length: 8 }, (_, k) => model.clusterOf(`${g.prefix}${k}`)));
    assert.equal(clusters.size, 1, `${g.prefix} split over ${[...clusters]}`);
  }
  const names = PLANTED.map((g) => model.names[model.clusterOf(`${g.prefix}0`)]);
  assert.deepEqual(names, ['Black cocktail sheaths', 'Red wedding gowns', 'White vacation jumpsuits']);
  assert.deepEqual(model.clusters.map((c) => c.size), [8, 8, 8]);
  const c = model.clusterOf('gown3');
  assert.deepEqual(new Set(model.clusterItems(c)), new Set(Array.from({ length: 8 }, (_, k) => `gown${k}`)));
  assert.equal(model.clusterItems(c, 2).length, 2);
});

test('a member is matched to the cluster of what they rented, and similar() stays in the cluster', async () => {
  const model = await train();
  const match = model.matchUser({ userId: 'm1-0' });
  assert.equal(match[0].name, 'Red wedding gowns');
  assert.ok(match[0].score > match[1].score);
  assert.ok(model.recommend({ userId: 'm2-1' }, 8).every((r) => r.itemId.startsWith('jump')));
  assert.ok(model.similar('sheath2', 20).every((r) => r.itemId.startsWith('sheath')));
  assert.equal(model.similar('sheath2', 20).length, 7);
});

test('names are unique even when clusters share their descriptors', async () => {
  const model = await train({ k: 6 });
  assert.equal(new Set(model.names.map((n) => n.toLowerCase())).size, model.names.length);
  assert.deepEqual(['dress', 'jumpsuit', 'accessory', 'pants', 'sheath'].map(plural), ['dresses', 'jumpsuits', 'accessories', 'pants', 'sheaths']);
});

test('the same seed gives the same clusters; save/load keeps them', async () => {
  const a = await train({ k: 4, seed: 9 });
  const b = await train({ k: 4, seed: 9 });
  assert.deepEqual(data.itemIds.map((id) => a.clusterOf(id)), data.itemIds.map((id) => b.clusterOf(id)));
  assert.deepEqual(a.names, b.names);
  await a.save(`${root}/style`);
  const loaded = (await styleClustersTrainer.load(`${root}/style`)) as StyleClustersModel;
  assert.deepEqual(loaded.names, a.names);
  assert.deepEqual(loaded.matchUser({ userId: 'm0-0' }), a.matchUser({ userId: 'm0-0' }));
  assert.deepEqual(loaded.recommend({ userId: 'm0-2' }, 5), a.recommend({ userId: 'm0-2' }, 5));
});

test('unknown items and clusters are typed errors', async () => {
  const model = await train();
  await assertCode(() => model.clusterOf('nope'), 'VITRINE_MODEL_UNKNOWN_ITEM');
  await assertCode(() => model.clusterItems(3), 'VITRINE_MODEL_BAD_PARAMS');
  await assertCode(() => model.matchUser({ userId: 'ghost' }), 'VITRINE_MODEL_UNKNOWN_USER');
});
