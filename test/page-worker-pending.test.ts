/**
 * The requests a page worker has not answered (core/pending-requests.ts): a ring of slots by id that
 * replaced a Map (issue 22: the Map's rehashed tables got every reply promoted). Answers come out of
 * order (a change awaited, a page sent on to another worker), so the oldest is tracked past holes,
 * and the ring grows when one request lags far behind the others.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PendingRequests } from '../src/core/pending-requests.ts';

describe('pending page-worker requests', () => {
  it('ids count up from 1; a request is taken once, and an unknown id takes nothing', () => {
    const p = new PendingRequests<string>();
    assert.deepEqual([p.add('a'), p.add('b'), p.add('c')], [1, 2, 3]);
    assert.equal(p.take(2), 'b');
    assert.equal(p.take(2), undefined, 'already answered');
    assert.equal(p.take(0), undefined);
    assert.equal(p.take(4), undefined, 'not sent yet');
    assert.equal(p.take(1.5), undefined);
    assert.equal(p.size, 2);
    assert.deepEqual([...p.values()], ['a', 'c']);
  });

  it('the oldest is the earliest unanswered, past requests answered out of order', () => {
    const p = new PendingRequests<string>();
    for (const v of ['a', 'b', 'c', 'd']) p.add(v);
    p.take(2);
    p.take(3);
    assert.equal(p.oldest(), 'a');
    p.take(1);
    assert.equal(p.oldest(), 'd');
    p.take(4);
    assert.equal(p.oldest(), undefined);
    assert.equal(p.size, 0);
    assert.equal(p.add('e'), 5);
    assert.equal(p.oldest(), 'e');
  });

  it('one request left unanswered while thousands pass keeps its place and every other one its own', () => {
    const p = new PendingRequests<number>();
    const slow = p.add(-1);
    const open: number[] = [];
    for (let k = 0; k < 5_000; k++) {
      open.push(p.add(k));
      // each answered but the last three, so several are pending across every growth of the ring
      if (open.length > 3) assert.equal(p.take(open.shift()!), k - 3);
    }
    assert.equal(p.oldest(), -1);
    assert.deepEqual([...p.values()], [-1, 4_997, 4_998, 4_999]);
    assert.equal(p.take(slow), -1);
    assert.equal(p.oldest(), 4_997);
    assert.deepEqual(open.map((id) => p.take(id)), [4_997, 4_998, 4_999]);
    assert.equal(p.size, 0);
  });

  it('cleared (a retired worker), nothing is pending and later ids do not reuse earlier ones', () => {
    const p = new PendingRequests<string>();
    p.add('a');
    p.add('b');
    p.clear();
    assert.equal(p.size, 0);
    assert.equal(p.oldest(), undefined);
    assert.equal(p.take(1), undefined);
    assert.equal(p.add('c'), 3);
    assert.deepEqual([...p.values()], ['c']);
  });
});
