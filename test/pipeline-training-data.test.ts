import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY_MS } from '../src/core/time.ts';
import type { VitrineEvent } from '../src/core/types.ts';
import { loadTrainingData } from '../src/pipeline/training-data.ts';
import { openStore } from '../src/storage/open-store.ts';
import type { Store } from '../src/storage/store.ts';

const T0 = Date.UTC(2024, 0, 1);
const ev = (id: string, type: VitrineEvent['type'], userId: string, itemId: string, day: number, extra: Partial<VitrineEvent> = {}): VitrineEvent =>
  ({ id, type, userId, itemId, ts: T0 + day * DAY_MS, ...extra });

async function storeWith(events: VitrineEvent[]): Promise<Store> {
  const store = await openStore('sqlite::memory:');
  await store.upsertItems([
    { id: 'i1', title: 'Dress', category: 'dress', brand: 'X', tags: ['red'], price: 50, embedding: [1, 0] },
    { id: 'i2', title: 'Top', category: 'top' },
  ], T0);
  await store.appendEvents(events);
  return store;
}

test('positives are rentals and purchases in arrival order, with size, fit, occasion and item features', async () => {
  const store = await storeWith([
    ev('e1', 'rent', 'u1', 'i1', 1, { size: 'M', fit: 'large', occasion: 'wedding' }),
    ev('e2', 'view', 'u1', 'i2', 2),
    ev('e3', 'purchase', 'u2', 'i2', 3),
    ev('e4', 'review', 'u3', 'i3', 4, { rating: 5 }),
    ev('e5', 'rent', 'u2', 'i1', 0, { size: 'S' }),
  ]);
  const data = await loadTrainingData(store, { pageSize: 2 });
  await store.close();
  const x = data.interactions;
  assert.deepEqual(data.positiveTypes, ['rent', 'purchase']);
  assert.equal(data.scanned, 5);
  assert.equal(data.name, 'store');
  assert.deepEqual(x.userIds, ['u1', 'u2']);
  assert.deepEqual(x.itemIds, ['i1', 'i2']);
  assert.deepEqual([...x.users], [0, 1, 1]);
  assert.deepEqual([...x.items], [0, 1, 0]);
  assert.deepEqual(Array.from(x.ts, (t) => (t - T0) / DAY_MS), [1, 3, 0], 'arrival order, not time order');
  assert.deepEqual(Array.from(x.sizes ?? [], (s) => (s < 0 ? null : x.sizeLabels?.[s])), ['M', null, 'S']);
  assert.deepEqual([...(x.fits ?? [])], [2, -1, -1]);
  assert.deepEqual(Array.from(x.occasions ?? [], (o) => (o < 0 ? null : x.occasionLabels?.[o])), ['wedding', null, null]);
  assert.deepEqual(data.items.category, ['dress', 'top']);
  assert.deepEqual(data.items.brand, ['X', undefined]);
  assert.deepEqual(data.items.tags, [['red'], []]);
  assert.deepEqual(data.items.price, [50, undefined]);
  assert.equal(data.items.embeddingDim, 2);
  assert.deepEqual([...(data.items.embedding ?? [])], [1, 0, 0, 0], 'an item without an embedding gets a zero row');
});

test('a log without rentals or purchases (MovieLens) uses rated reviews; RTR imports are recognised', async () => {
  const ml = await storeWith([
    ev('ml-1-1', 'review', 'u1', 'i1', 1, { rating: 4 }), ev('ml-x', 'review', 'u2', 'i2', 2), ev('v', 'view', 'u2', 'i1', 3),
  ]);
  const reviews = await loadTrainingData(ml);
  await ml.close();
  assert.deepEqual(reviews.positiveTypes, ['review']);
  assert.deepEqual([reviews.interactions.userIds, reviews.interactions.itemIds], [['u1'], ['i1']], 'the review without a rating is not a positive');

  const rtr = await storeWith([ev('rtr-2', 'rent', 'u1', 'i1', 1)]);
  assert.equal((await loadTrainingData(rtr)).name, 'rtr');
  await rtr.close();

  const empty = await storeWith([]);
  assert.equal((await loadTrainingData(empty)).interactions.users.length, 0);
  await empty.close();
});

test('training.positives: a shop\'s purchases, clicks and views with weights; reviews from a least rating', async () => {
  const store = await storeWith([
    ev('a', 'purchase', 'u1', 'i1', 1), ev('b', 'click', 'u1', 'i2', 2), ev('c', 'view', 'u2', 'i1', 3),
    ev('d', 'heart', 'u2', 'i2', 4), ev('e', 'review', 'u3', 'i1', 5, { rating: 3 }), ev('f', 'review', 'u3', 'i2', 6, { rating: 4 }),
  ]);
  const shop = await loadTrainingData(store, {
    positives: {
      events: [{ type: 'purchase', weight: 1 }, { type: 'click', weight: 0.5 }, { type: 'view', weight: 0.25 }, { type: 'review', weight: 2 }],
      fallback: [{ type: 'heart', weight: 1 }],
      minRating: 4,
    },
  });
  assert.deepEqual(shop.positiveTypes, ['purchase', 'click', 'view', 'review']);
  assert.deepEqual(shop.interactions.userIds, ['u1', 'u2', 'u3']);
  assert.deepEqual([...shop.interactions.weights], [1, 0.5, 0.25, 2], 'the heart is not listed; the rating-3 review is below minRating');
  // none of the listed events in the log: the fallback list is used
  const hearts = await loadTrainingData(store, { positives: { events: [{ type: 'rent', weight: 1 }], fallback: [{ type: 'heart', weight: 3 }], minRating: 0 } });
  await store.close();
  assert.deepEqual(hearts.positiveTypes, ['heart']);
  assert.deepEqual([hearts.interactions.userIds, [...hearts.interactions.weights]], [['u2'], [3]]);
});
