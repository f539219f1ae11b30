/** Group commit: concurrent appends share one transaction, yet each caller sees what a lone call would. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VitrineError } from '../src/core/errors.ts';
import type { VitrineEvent } from '../src/core/types.ts';
import { GroupCommitter } from '../src/pipeline/group-commit.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import type { AppendResult } from '../src/storage/store.ts';

const ev = (id: string): VitrineEvent => ({ id, type: 'view', userId: 'u', itemId: 'i', ts: 1 });

/** Wraps a store's appendEvents, recording each call's batch size; `fail` may throw for a batch. */
function spyStore(fail?: (batch: readonly VitrineEvent[]) => VitrineError | undefined) {
  const store = new SqliteStore(':memory:');
  const calls: number[] = [];
  return {
    store, calls,
    appendEvents: async (batch: readonly VitrineEvent[]): Promise<AppendResult> => {
      calls.push(batch.length);
      const err = fail?.(batch);
      if (err) throw err;
      return store.appendEvents(batch);
    },
  };
}

describe('GroupCommitter', () => {
  it('commits concurrent calls in one transaction; duplicates are reported to the call that sent them', async () => {
    const spy = spyStore();
    const committer = new GroupCommitter(spy);
    const results = await Promise.all([
      committer.append([ev('a'), ev('b')]),
      committer.append([ev('b'), ev('c'), ev('c')]), // b was sent by the call before; c twice in this call
      committer.append([ev('d')]),
    ]);
    assert.deepEqual(spy.calls, [6]);
    assert.deepEqual(results, [
      { accepted: 2, duplicates: [] }, { accepted: 1, duplicates: [0, 2] }, { accepted: 1, duplicates: [] },
    ]);
    assert.equal(await spy.store.countEvents(), 4);
  });

  it('a call that overflows the store fails alone: the group is retried call by call', async () => {
    const full = new VitrineError('VITRINE_STORE_FULL');
    const spy = spyStore((batch) => (batch.length >= 3 ? full : undefined));
    const committer = new GroupCommitter(spy);
    const [small, big, other] = await Promise.allSettled([
      committer.append([ev('s1')]), committer.append([ev('b1'), ev('b2'), ev('b3')]), committer.append([ev('o1')]),
    ]);
    assert.deepEqual(spy.calls, [5, 1, 3, 1]);
    assert.deepEqual(small, { status: 'fulfilled', value: { accepted: 1, duplicates: [] } });
    assert.deepEqual(big, { status: 'rejected', reason: full });
    assert.deepEqual(other, { status: 'fulfilled', value: { accepted: 1, duplicates: [] } });
    assert.equal(await spy.store.countEvents(), 2);
  });

  it('a busy store fails the whole group at once, without a retry per call', async () => {
    const busy = new VitrineError('VITRINE_STORE_BUSY');
    const spy = spyStore(() => busy);
    const committer = new GroupCommitter(spy);
    const settled = await Promise.allSettled([committer.append([ev('x')]), committer.append([ev('y')])]);
    assert.deepEqual(spy.calls, [2]);
    assert.deepEqual(settled.map((s) => s.status), ['rejected', 'rejected']);
  });

  it('a group is cut at maxGroupEvents (whole calls only) and the rest follows in the next commit', async () => {
    const spy = spyStore();
    const committer = new GroupCommitter(spy, 3);
    await Promise.all([committer.append([ev('1'), ev('2')]), committer.append([ev('3'), ev('4')]), committer.append([ev('5')])]);
    assert.deepEqual(spy.calls, [2, 3]);
    assert.equal(await spy.store.countEvents(), 5);
  });

  it('calls made after a commit form a new group', async () => {
    const spy = spyStore();
    const committer = new GroupCommitter(spy);
    await committer.append([ev('first')]);
    assert.deepEqual(await committer.append([ev('first'), ev('second')]), { accepted: 1, duplicates: [0] });
    assert.deepEqual(spy.calls, [1, 2]);
  });
});
