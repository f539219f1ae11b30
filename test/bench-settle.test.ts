// The soak's settle phase (bench/settle.ts): the mix runs in chunks until the server's CPU per request
// stops rising. Known series: run 1 of 2026-12-07 18:00 per minute (1.71 → 2.10 ms), a flat one, a noisy one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasSettled, settle } from '../bench/settle.ts';

describe('settling', () => {
  it('is not settled while the last two chunks cost more than 5% above the two before', () => {
    assert.equal(hasSettled([1.71, 1.91, 1.92, 2.05]), false); // (2.05 + 1.92) / 2 vs (1.71 + 1.91) / 2: +9.7%
    assert.equal(hasSettled([1.91, 1.92, 2.05, 2.05]), false); // +7.0%
    assert.equal(hasSettled([1.92, 2.05, 2.05, 2.10]), true); // +4.5%
  });

  it('needs two windows of chunks before it can say', () => {
    assert.equal(hasSettled([]), false);
    assert.equal(hasSettled([2, 2, 2]), false);
    assert.equal(hasSettled([2, 2, 2, 2]), true);
  });

  it('calls a falling cost settled (the capacity measured after it is then conservative)', () => {
    assert.equal(hasSettled([2.4, 2.4, 2.0, 2.0]), true);
  });

  it('follows its window and tolerance', () => {
    assert.equal(hasSettled([1, 1, 1.08, 1.08], { window: 2, tolerance: 0.1 }), true);
    assert.equal(hasSettled([1, 1, 1.08, 1.08], { window: 2, tolerance: 0.05 }), false);
    assert.equal(hasSettled([1, 1, 1, 1, 1, 1.2], { window: 3, tolerance: 0.05 }), false); // (1 + 1 + 1.2) / 3: +6.7%
    assert.equal(hasSettled([1, 1, 1, 1, 1, 1.1], { window: 3, tolerance: 0.05 }), true); // +3.3%
  });

  it('runs chunks until the series settles, or stops at the most chunks allowed', async () => {
    const rising = [1.71, 1.91, 1.92, 2.05, 2.05, 2.10, 2.05, 2.06];
    let i = 0;
    const found = await settle(async () => rising[i++], 10);
    assert.deepEqual(found, { cpuMsPerRequest: [1.71, 1.91, 1.92, 2.05, 2.05, 2.10], settled: true });

    let cost = 1;
    const forever = await settle(async () => (cost *= 1.1), 5);
    assert.equal(forever.settled, false);
    assert.equal(forever.cpuMsPerRequest.length, 5);
  });
});
