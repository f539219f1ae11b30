/**
 * The order a page worker keeps (change-order.ts, ADR 0014): since an event's 200 no longer waits for
 * the workers, a read must wait for every change received before it, and a worker that failed a change
 * must answer no read after it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeOrder } from '../src/serving/page-workers/change-order.ts';
import { deferred } from './helpers/deferred.ts';

describe('page worker change order', () => {
  it('a read waits for every change received before it, and changes apply in the order received', async () => {
    const order = new ChangeOrder();
    const log: string[] = [];
    const slow = deferred();
    const first = order.apply('models', async () => { await slow.promise; log.push('models'); });
    const second = order.apply('events', () => { log.push('events'); });
    const read = order.beforeRead().then(() => log.push('read'));
    // nothing may run past the unfinished reload: give every queued continuation its turn first
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(log, []);
    slow.resolve();
    await Promise.all([first, second, read]);
    assert.deepEqual(log, ['models', 'events', 'read']);
  });

  it('after a change fails, later changes still apply but every read fails, naming the change', async () => {
    const order = new ChangeOrder();
    const failing = deferred();
    const first = order.apply('events', () => failing.promise);
    let later = false;
    const second = order.apply('items', () => { later = true; });
    failing.reject(new Error('boom'));
    await assert.rejects(first, /boom/);
    await second;
    assert.equal(later, true);
    await assert.rejects(order.beforeRead(), /out of service: could not apply a change \(events\): boom/);
  });

  it('reads before any failure are answered', async () => {
    const order = new ChangeOrder();
    await order.apply('events', () => undefined);
    await order.beforeRead();
  });
});
