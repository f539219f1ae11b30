import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { ContentModel } from '../src/ml/content/content-model.ts';
import { contentTrainer } from '../src/ml/content/content-trainer.ts';
import type { ContentItemInput } from '../src/ml/content/item-tokens.ts';
import { profileFromPreferences, stemmedWords } from '../src/ml/content/preferences.ts';
import { assertCode, interactions, itemFeatures, tempDir } from './helpers/ml-data.ts';

const { dir: root, cleanup } = tempDir();
after(cleanup);

const catalogue: Record<string, ContentItemInput> = {
  boho1: { category: 'dress', tags: ['boho', 'floral'], attributes: { color: 'white' } },
  boho2: { category: 'dress', tags: ['boho', 'floral'], attributes: { color: 'yellow' } },
  gown1: { category: 'gown', brand: 'Badgley Mischka', tags: ['sequin', 'black tie'], attributes: { color: 'black' } },
  gown2: { category: 'gown', tags: ['sequin'], attributes: { color: 'gold', sleeveless: true } },
  suit1: { category: 'jumpsuit', tags: ['tailored', 'minimal'], attributes: { color: 'black' } },
};
const data = interactions([['m1', 'boho1'], ['m2', 'gown1'], ['m2', 'gown2'], ['m3', 'suit1'], ['m4', 'boho2']]);
const items = itemFeatures(data.itemIds, catalogue);
const train = async (): Promise<ContentModel> => (await contentTrainer.train({ interactions: data, items })) as ContentModel;

test('an item sharing tags with a member\'s history outranks unrelated ones', async () => {
  const model = await train();
  const recs = model.recommend({ userId: 'm1' }, 5, { exclude: new Set(['boho1']) }).map((r) => r.itemId);
  assert.equal(recs[0], 'boho2');
  const s = model.score({ userId: 'm1' }, ['boho2', 'gown1', 'suit1']);
  assert.ok(s[0] > 0.5 && s[1] === 0 && s[2] === 0, String(s));
  // a live interaction list works the same way for a member the model never saw
  assert.equal(model.recommend({ interactions: [{ itemId: 'gown1' }] }, 1, { exclude: new Set(['gown1']) })[0].itemId, 'gown2');
});

test('a cold item added with addItem is similar and recommendable at once, and survives save/load', async () => {
  const model = await train();
  model.addItem('boho3', { category: 'dress', tags: ['boho', 'floral', 'maxi'] });
  assert.equal(model.similar('boho1', 1, { exclude: new Set(['boho2']) })[0].itemId, 'boho3');
  assert.ok(model.recommend({ userId: 'm4' }, 3).some((r) => r.itemId === 'boho3'));
  // replacing an item's features moves it
  model.addItem('boho3', { category: 'gown', tags: ['sequin'] });
  assert.equal(model.similar('gown2', 1)[0].itemId, 'boho3');
  await model.save(`${root}/content`);
  const loaded = await contentTrainer.load(`${root}/content`);
  assert.deepEqual(loaded.similar('boho3', 3), model.similar('boho3', 3));
  assert.deepEqual(loaded.recommend({ userId: 'm2' }, 6), model.recommend({ userId: 'm2' }, 6));
});

test('an item added to one loaded content model stays out of the id list its artifact shares with the others', async () => {
  const model = await train();
  await model.save(`${root}/content-shared`);
  const a = (await contentTrainer.load(`${root}/content-shared`)) as ContentModel;
  const b = (await contentTrainer.load(`${root}/content-shared`)) as ContentModel;
  a.addItem('boho9', { category: 'dress', tags: ['boho', 'floral'] });
  assert.equal(a.similar('boho1', 1, { exclude: new Set(['boho2']) })[0].itemId, 'boho9');
  assert.ok(!b.similar('boho1', 10).some((r) => r.itemId === 'boho9'), 'the other model of the same list never learned it');
  await assertCode(() => b.similar('boho9', 1), 'VITRINE_MODEL_UNKNOWN_ITEM');
});

test('embeddings join the vector: items with no shared tokens are similar through them', async () => {
  const byId: Record<string, ContentItemInput> = {
    p: { category: 'top', embedding: [1, 0, 0] },
    q: { category: 'skirt', embedding: [0.9, 0.1, 0] },
    r: { category: 'coat', embedding: [0, 0, 1] },
  };
  const d = interactions([['m', 'p'], ['m', 'q'], ['n', 'r']]);
  const model = await contentTrainer.train({ interactions: d, items: itemFeatures(d.itemIds, byId, 3) });
  assert.deepEqual(model.similar('p', 2).map((r) => r.itemId), ['q', 'r']);
  const weightless = await contentTrainer.train({ interactions: d, items: itemFeatures(d.itemIds, byId, 3) }, { embeddingWeight: 0 });
  assert.equal(weightless.similar('p', 1)[0].score, 0);
});

test('NaN/Infinity or wrong-dimension embeddings are BAD_EMBEDDING', async () => {
  const byId: Record<string, ContentItemInput> = { p: { category: 'top', embedding: [1, NaN] }, q: { category: 'top', embedding: [0, 1] } };
  const d = interactions([['m', 'p'], ['m', 'q']]);
  await assertCode(() => contentTrainer.train({ interactions: d, items: itemFeatures(d.itemIds, byId, 2) }), 'VITRINE_MODEL_BAD_EMBEDDING', 'NaN');
  const wrongShape = { ...itemFeatures(d.itemIds, { ...byId, p: { category: 'top', embedding: [1, 0] } }, 2), embeddingDim: 3 };
  await assertCode(() => contentTrainer.train({ interactions: d, items: wrongShape }), 'VITRINE_MODEL_BAD_EMBEDDING', 'embeddingDim 3');
  const model = (await contentTrainer.train({ interactions: d, items: itemFeatures(d.itemIds, { ...byId, p: { category: 'top', embedding: [1, 0] } }, 2) })) as ContentModel;
  await assertCode(() => model.addItem('z', { category: 'top', embedding: [1, 2, 3] }), 'VITRINE_MODEL_BAD_EMBEDDING', '3 dimensions');
  await assertCode(() => model.addItem('z', { category: 'top', embedding: [Infinity, 0] }), 'VITRINE_MODEL_BAD_EMBEDDING');
  await assertCode(() => model.recommend({ vector: new Float32Array(2) }, 1), 'VITRINE_MODEL_BAD_EMBEDDING');
});

test('onboarding preferences match tags and attributes; avoided words push items down', async () => {
  const model = await train();
  assert.deepEqual(stemmedWords('Minimal tailoring, dresses'), ['minimal', 'tailor', 'dress']);
  const boho = profileFromPreferences({ styles: ['Boho'] }, model);
  assert.deepEqual(new Set(model.recommend({ vector: boho }, 2).map((r) => r.itemId)), new Set(['boho1', 'boho2']));
  const tailored = profileFromPreferences({ styles: ['minimal tailoring'] }, model);
  assert.equal(model.recommend({ vector: tailored }, 1)[0].itemId, 'suit1');
  const noSequins = profileFromPreferences({ styles: ['black'], avoid: ['sequins'] }, model);
  const ranked = model.recommend({ vector: noSequins }, 5).map((r) => r.itemId);
  assert.equal(ranked[0], 'suit1');
  assert.deepEqual(ranked.slice(-2).sort(), ['gown1', 'gown2']);
  await assertCode(() => profileFromPreferences({ styles: ['cyberpunk'] }, model), 'VITRINE_MODEL_UNKNOWN_USER');
});

test('missing item features are EMPTY_DATA, misaligned ones BAD_DATA; unknown members UNKNOWN_USER', async () => {
  await assertCode(() => contentTrainer.train({ interactions: data }), 'VITRINE_MODEL_EMPTY_DATA', 'item features');
  await assertCode(() => contentTrainer.train({ interactions: data, items: { ...items, tags: [] } }), 'VITRINE_MODEL_BAD_DATA');
  const model = await train();
  await assertCode(() => model.recommend({ userId: 'ghost' }, 3), 'VITRINE_MODEL_UNKNOWN_USER');
  // a catalogue with no interactions yet still trains (cold start)
  const cold = await contentTrainer.train({ interactions: { ...interactions([]), itemIds: data.itemIds }, items });
  assert.equal(cold.similar('gown1', 1)[0].itemId, 'gown2');
});
