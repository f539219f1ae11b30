/**
 * Model.knowsUser / knowsItem (model.ts) answer "would asking throw VITRINE_MODEL_UNKNOWN_USER / _ITEM?"
 * without a throw; serving relies on them agreeing with the calls exactly (else pages change), and
 * skips a query the model does not know without asking (member-query.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VitrineError } from '../src/core/errors.ts';
import { alsTrainer } from '../src/ml/als/als-trainer.ts';
import { contentTrainer } from '../src/ml/content/content-trainer.ts';
import type { ContentItemInput } from '../src/ml/content/item-tokens.ts';
import { easeTrainer } from '../src/ml/ease/ease.ts';
import { itemKnnTrainer } from '../src/ml/item-knn/item-knn.ts';
import type { Model, UserQuery } from '../src/ml/model.ts';
import { styleClustersTrainer } from '../src/ml/style-clusters/style-clusters.ts';
import { askAsMember } from '../src/serving/page/compose/member-query.ts';
import type { ModelHandle } from '../src/serving/engine/contracts.ts';
import type { PageContext } from '../src/serving/page/compose/row-source.ts';
import { interactions, itemFeatures } from './helpers/ml-data.ts';

const catalogue: Record<string, ContentItemInput> = {};
const rows: Array<[string, string]> = [];
['red', 'blue', 'green'].forEach((color, g) => {
  for (let k = 0; k < 6; k++) {
    catalogue[`${color}${k}`] = { category: 'dress', tags: [color, k % 2 ? 'silk' : 'lace'], attributes: { color } };
    rows.push([`m${g}-${k % 3}`, `${color}${k}`]);
  }
});
const data = interactions(rows);
const items = itemFeatures(data.itemIds, catalogue);

/** The code `fn` throws, or 'ok'. */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof VitrineError) return err.code;
    throw err;
  }
}

const QUERIES: Array<[string, UserQuery]> = [
  ['a trained member', { userId: 'm1-2' }],
  ['a member outside the data', { userId: 'stranger' }],
  ['a list with a known item', { interactions: [{ itemId: 'new-item' }, { itemId: 'blue3', weight: 2 }] }],
  ['a list of items never seen', { interactions: [{ itemId: 'new-item' }, { itemId: 'other' }] }],
  ['an empty list', { interactions: [] }],
];

for (const trainer of [alsTrainer, contentTrainer, styleClustersTrainer, itemKnnTrainer, easeTrainer]) {
  test(`${trainer.algorithm}: knowsUser is false exactly where recommend throws UNKNOWN_USER, knowsItem where similar throws UNKNOWN_ITEM`, async () => {
    const model: Model = await trainer.train({ interactions: data, items }, trainer.algorithm === 'style-clusters' ? { k: 3 } : {});
    assert.ok(model.knowsUser && model.knowsItem, 'declares both');
    for (const [what, query] of QUERIES) {
      const thrown = outcome(() => model.recommend(query, 3));
      assert.equal(model.knowsUser(query), thrown !== 'VITRINE_MODEL_UNKNOWN_USER', `${what}: recommend → ${thrown}`);
    }
    assert.equal(model.knowsUser({ userId: 'stranger' }), false);
    assert.equal(model.knowsUser({ userId: 'm1-2' }), true);
    for (const itemId of ['green4', 'new-item']) {
      const thrown = outcome(() => model.similar(itemId, 3));
      assert.equal(model.knowsItem(itemId), thrown !== 'VITRINE_MODEL_UNKNOWN_ITEM', `${itemId}: similar → ${thrown}`);
    }
    assert.equal(model.knowsItem('new-item'), false);
  });
}

test('askAsMember skips the queries a model says it does not know, without asking them', async () => {
  const asked: string[] = [];
  const model = {
    manifest: { dataTo: 1_000 },
    knowsUser: (q: UserQuery) => !('userId' in q),
  } as unknown as Model;
  const handle: ModelHandle = { version: 'v1', algorithm: 'fake', model };
  // known to the store, trained before their last positive: asked by list first, then by id
  const ctx = {
    member: { userId: 'm', known: true, recent: [{ itemId: 'a', weight: 1, ts: 2_000 }], preferences: {} },
  } as unknown as Pick<PageContext, 'member' | 'foldIn'>;
  const answer = await askAsMember(ctx, handle, (q) => {
    asked.push(Object.keys(q)[0]);
    throw new VitrineError('VITRINE_MODEL_UNKNOWN_USER');
  });
  assert.equal(answer, undefined);
  assert.deepEqual(asked, ['interactions'], 'the id query is never asked');
});
