/**
 * SharedPayloads (ADR 0011): the buffers of the versions a thread has loaded, handed between threads;
 * the buffers of versions no longer loaded are let go, and handed buffers wait for their version.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedPayloads } from '../src/serving/models/shared-payloads.ts';

const bytes = (n: number) => new SharedArrayBuffer(n);

describe('SharedPayloads', () => {
  it('keeps the buffers of the versions retained, including a digest two versions share, and drops the rest', () => {
    const p = new SharedPayloads();
    const a = p.forVersion('v1');
    a.put('d-shared', bytes(8));
    a.put('d-old', bytes(16));
    const b = p.forVersion('v2');
    assert.ok(b.get('d-shared'), 'v2 reads the payload v1 already read');
    b.put('d-new', bytes(32));
    p.retain(['v1', 'v2']);
    assert.equal(p.bytes(), 56);
    p.retain(['v2']);
    assert.deepEqual([...p.buffersHeld().keys()].sort(), ['d-new', 'd-shared']);
    assert.equal(p.bytes(), 40);
    assert.equal(p.bytesRead(), 56, 'read from files, ever');
  });

  it('buffers handed over survive until a retain after their version loaded, and are not counted as read', () => {
    const from = new SharedPayloads();
    from.forVersion('v1').put('d1', bytes(8));
    const to = new SharedPayloads(from.buffersHeld());
    const pool = to.forVersion('v1');
    assert.equal(pool.get('d1'), from.buffersHeld().get('d1'), 'the same SharedArrayBuffer');
    to.retain(['v1']);
    assert.equal(to.bytes(), 8);
    assert.equal(to.bytesRead(), 0);
    to.retain([]);
    assert.equal(to.bytes(), 0);
  });
});
