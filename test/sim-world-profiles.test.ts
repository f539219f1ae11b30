import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VitrineError } from '../src/core/errors.ts';
import { collectWorld, resolveWorldOptions } from '../src/sim/world/generate.ts';

const SMALL = { users: 150, items: 60, days: 45, seed: 3 };
const count = (events: Array<{ type: string }>, type: string): number => events.filter((e) => e.type === type).length;
const perMember = (events: Array<{ type: string; userId: string }>, type: string): number =>
  count(events, type) / new Set(events.filter((e) => e.type === type).map((e) => e.userId)).size;

test('--profile shop: no sizes; a rental becomes a purchase, returns and buy-outs do not exist; views and clicks stay', async () => {
  const rental = await collectWorld(SMALL);
  const shop = await collectWorld({ ...SMALL, profile: 'shop' });
  assert.ok(shop.items.every((i) => Object.keys(i.sizes).length === 0));
  assert.equal(count(shop.events, 'rent') + count(shop.events, 'return'), 0);
  assert.equal(count(shop.events, 'purchase'), count(rental.events, 'rent'), 'one purchase per rental of the same world');
  assert.equal(count(shop.events, 'view'), count(rental.events, 'view'));
  assert.ok(shop.events.every((e) => e.size === undefined && e.fit === undefined && e.rating === undefined));
  assert.equal(shop.meta.args.profile, 'shop');
  assert.equal(shop.meta.counts.byType.purchase, count(shop.events, 'purchase'));
  assert.equal(rental.meta.args.profile, undefined, 'a rental world\'s files are unchanged');
});

test('--profile media: no sizes; reviews with a rating are the positives; histories twice as long; deterministic', async () => {
  const rental = await collectWorld(SMALL);
  const media = await collectWorld({ ...SMALL, profile: 'media' });
  assert.ok(media.items.every((i) => Object.keys(i.sizes).length === 0));
  assert.equal(count(media.events, 'rent') + count(media.events, 'purchase') + count(media.events, 'return'), 0);
  const reviews = media.events.filter((e) => e.type === 'review');
  assert.ok(reviews.length > 0 && reviews.every((e) => Number.isInteger(e.rating) && (e.rating as number) >= 2 && (e.rating as number) <= 10));
  // long histories: about twice the rated titles per member as rentals closed in the rental world
  assert.ok(perMember(media.events, 'review') > 1.8 * perMember(rental.events, 'return'));
  const again = await collectWorld({ ...SMALL, profile: 'media' });
  assert.deepEqual(again.events, media.events);
});

test('an unknown profile is a typed error', () => {
  assert.throws(() => resolveWorldOptions({ ...SMALL, profile: 'cinema' as 'media' }),
    (err: unknown) => err instanceof VitrineError && err.code === 'VITRINE_SIM_BAD_OPTIONS' && /profile/.test(err.message));
});
