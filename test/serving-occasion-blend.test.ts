/**
 * for-occasion's blend (rows/for-occasion.ts `personalised`): list rank + model rank, ties in list
 * order, NaN scores last, scores by place in the whole blend; `keep` returns only its head.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { personalised } from '../src/serving/page/rows/for-occasion.ts';

const items = (...ids: string[]) => ids.map((itemId) => ({ itemId, score: 0, reason: `r-${itemId}` }));

describe('for-occasion blend', () => {
  it('orders by list rank + model rank, NaN last, scored 1 − place / n', () => {
    // model ranks: b 0, d 1, a 2, c 3 (NaN) → keys a 2, b 1, c 5, d 4
    const got = personalised(items('a', 'b', 'c', 'd'), Float32Array.of(0.1, 0.9, NaN, 0.5));
    assert.deepEqual(got, [
      { itemId: 'b', score: 1, reason: 'r-b' }, { itemId: 'a', score: 0.75, reason: 'r-a' },
      { itemId: 'd', score: 0.5, reason: 'r-d' }, { itemId: 'c', score: 0.25, reason: 'r-c' },
    ]);
  });

  it('breaks a tie in the blend by list order, and a tie in the scores by list order too', () => {
    // keys a 0 + 1, b 1 + 0: a tie, the list's order stands
    assert.deepEqual(personalised(items('a', 'b'), [0.1, 0.9]).map((i) => i.itemId), ['a', 'b']);
    // equal scores: model ranks a 0, b 1, c 2 → keys 0, 2, 4
    assert.deepEqual(personalised(items('a', 'b', 'c'), [0.5, 0.5, 0.5]).map((i) => i.itemId), ['a', 'b', 'c']);
  });

  it('keeps only the head it is asked for, scored as in the whole blend, without touching the input', () => {
    const input = items('a', 'b', 'c', 'd');
    const got = personalised(input, [0.1, 0.9, Number.NaN, 0.5], 2);
    assert.deepEqual(got.map((i) => [i.itemId, i.score]), [['b', 1], ['a', 0.75]]);
    assert.deepEqual(input.map((i) => i.score), [0, 0, 0, 0]);
    assert.deepEqual(personalised([], [], 20), []);
  });
});
