/** Time-ordered ids (core/ids.ts): valid ids, unique, and sorted as they were made. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidId, timeOrderedId } from '../src/core/ids.ts';

describe('timeOrderedId', () => {
  it('sorts by time and, within one millisecond, by the order made; never repeats', () => {
    const t = Date.UTC(2026, 11, 2);
    const ids = [timeOrderedId('pg-', t), timeOrderedId('pg-', t), timeOrderedId('pg-', t + 1), timeOrderedId('pg-', t + 86_400_000)];
    assert.deepEqual([...ids].sort(), ids);
    const many = Array.from({ length: 10_000 }, () => timeOrderedId('pg-', t));
    assert.equal(new Set(many).size, many.length);
    for (const id of [...ids, many[0]]) assert.ok(isValidId(id), id);
  });

  it('sorts an earlier time first whatever the digits (fixed width)', () => {
    assert.ok(timeOrderedId('x', 35) < timeOrderedId('x', 36), 'z (35) before 10 (36)');
    assert.ok(timeOrderedId('x', 999) < timeOrderedId('x', 1_000_000_000_000));
  });
});
