import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Model } from '../src/ml/model.ts';
import type { MemberSnapshot, ModelHandle } from '../src/serving/engine/contracts.ts';
import { FoldInCache } from '../src/serving/online/fold-in-cache.ts';

// a model whose vector names the member's first positive and counts its calls
function countingModel(): { handle: (version: string) => ModelHandle; calls: string[] } {
  const calls: string[] = [];
  const model = { foldIn: (xs: Array<{ itemId: string }>) => { calls.push(xs[0].itemId); return Float32Array.of(Number(xs[0].itemId.slice(1)), 1, 2); } } as unknown as Model;
  return { calls, handle: (version) => ({ version, algorithm: 'als', model }) };
}
const member = (userId: string, n: number, revision = 1) =>
  ({ userId, revision, recent: [{ itemId: `i${n}`, weight: 1 }] }) as unknown as MemberSnapshot;

describe('fold-in vector cache', () => {
  it('keeps at most `capacity` members per algorithm, the least recently used leaving first', () => {
    const cache = new FoldInCache(2);
    const { handle, calls } = countingModel();
    const v1 = handle('v1');
    cache.vectorFor(member('a', 1), v1);
    cache.vectorFor(member('b', 2), v1);
    cache.vectorFor(member('a', 1), v1); // a is now the most recent
    cache.vectorFor(member('c', 3), v1); // b leaves
    assert.deepEqual(calls, ['i1', 'i2', 'i3']);
    assert.deepEqual(Array.from(cache.vectorFor(member('a', 1), v1) ?? []), [1, 1, 2], 'a kept, its own vector');
    assert.deepEqual(Array.from(cache.vectorFor(member('c', 3), v1) ?? []), [3, 1, 2], 'c in the slot b left');
    assert.equal(calls.length, 3);
    cache.vectorFor(member('b', 2), v1);
    assert.equal(calls.length, 4, 'b was evicted: computed again');
    assert.equal(cache.size, 2);
  });

  it('a new state revision, a new model version or forget computes again; a served vector is a copy', () => {
    const cache = new FoldInCache(10);
    const { handle, calls } = countingModel();
    const first = cache.vectorFor(member('a', 1), handle('v1'));
    first?.fill(0); // a page scribbling on its vector does not reach the cache
    assert.deepEqual(Array.from(cache.vectorFor(member('a', 1), handle('v1')) ?? []), [1, 1, 2]);
    assert.equal(calls.length, 1);
    cache.vectorFor(member('a', 1, 2), handle('v1'));
    assert.equal(calls.length, 2, 'revision moved');
    cache.vectorFor(member('a', 1, 2), handle('v2'));
    assert.equal(calls.length, 3, 'a new model version');
    assert.equal(cache.size, 1, 'its vector took the old version\'s slot: a swap leaves nothing behind');
    cache.vectorFor(member('a', 1, 2), handle('v2'));
    assert.equal(calls.length, 3);
    cache.vectorFor(member('a', 1, 2), handle('v1'));
    assert.equal(calls.length, 4, 'one vector per member and algorithm, as the cache always kept');
    cache.forget('a');
    cache.vectorFor(member('a', 1, 2), handle('v1'));
    assert.equal(calls.length, 5, 'forgotten');
  });

  it('a version with other factors starts the algorithm\'s slab afresh', () => {
    const cache = new FoldInCache(10);
    const wide = { foldIn: () => Float32Array.of(1, 2, 3, 4) } as unknown as Model;
    const { handle } = countingModel();
    cache.vectorFor(member('a', 1), handle('v1'));
    cache.vectorFor(member('b', 2), handle('v1'));
    assert.deepEqual(Array.from(cache.vectorFor(member('a', 1), { version: 'v2', algorithm: 'als', model: wide }) ?? []), [1, 2, 3, 4]);
    assert.equal(cache.size, 1, 'the 3-factor vectors went with their slab');
    assert.deepEqual(Array.from(cache.vectorFor(member('a', 1), { version: 'v2', algorithm: 'als', model: wide }) ?? []), [1, 2, 3, 4]);
  });

  it('capacity 0 (serving.foldInCacheSize = 0) computes the vector every time', () => {
    const cache = new FoldInCache(0);
    const { handle, calls } = countingModel();
    assert.deepEqual(Array.from(cache.vectorFor(member('a', 1), handle('v1')) ?? []), [1, 1, 2]);
    cache.vectorFor(member('a', 1), handle('v1'));
    assert.equal(calls.length, 2);
    assert.equal(cache.size, 0);
  });
});
