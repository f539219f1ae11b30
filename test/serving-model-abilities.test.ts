/** Models declare the abilities serving relies on; serving finds them by name, and a fault-injecting wrapper has none. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alsTrainer } from '../src/ml/als/als-trainer.ts';
import { contentTrainer } from '../src/ml/content/content-trainer.ts';
import type { ContentItemInput } from '../src/ml/content/item-tokens.ts';
import { annOf, asFitPredictor, asSegmentedPopularity, asStyleClusters, contentOf, preferenceVector } from '../src/ml/model-abilities.ts';
import { popularityTrainer } from '../src/ml/popularity/popularity-trainer.ts';
import { withFault } from '../src/serving/models/fault-injection.ts';
import { interactions, itemFeatures } from './helpers/ml-data.ts';

const catalogue: Record<string, ContentItemInput> = {
  boho1: { category: 'dress', tags: ['boho', 'floral'] },
  boho2: { category: 'dress', tags: ['boho', 'floral'] },
  gown1: { category: 'gown', tags: ['sequin', 'black tie'] },
  gown2: { category: 'gown', tags: ['sequin'] },
};
const data = interactions([['m1', 'boho1'], ['m1', 'boho2'], ['m2', 'gown1'], ['m2', 'gown2'], ['m3', 'boho1']]);

test('each model declares what it can do, and only that', async () => {
  const content = await contentTrainer.train({ interactions: data, items: itemFeatures(data.itemIds, catalogue) });
  const popularity = await popularityTrainer.train({ interactions: data });
  const als = await alsTrainer.train({ interactions: data }, { factors: 2, iterations: 2 });

  assert.equal(contentOf(content), content, 'a content model is its own content space');
  assert.ok(preferenceVector(content, { styles: ['boho'] }), 'onboarding answers map into its space');
  assert.equal(asSegmentedPopularity(popularity), popularity);
  assert.equal(annOf(als), als);
  for (const model of [content, popularity, als]) {
    assert.equal(asStyleClusters(model), undefined, model.algorithm);
    assert.equal(asFitPredictor(model), undefined, model.algorithm);
  }
  assert.equal(contentOf(popularity), undefined);
  assert.equal(annOf(content), undefined);
  assert.equal(asSegmentedPopularity(als), undefined);
});

test('a fault-injecting wrapper passes no ability on', async () => {
  const popularity = await popularityTrainer.train({ interactions: data });
  const faulty = withFault(popularity, 'model-throw');
  assert.equal(asSegmentedPopularity(faulty), undefined);
});
