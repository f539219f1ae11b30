import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IdTable } from '../src/serving/online/id-table.ts';
import { MemberTable } from '../src/serving/online/member-table.ts';

// a deterministic stream of inserts, moves and deletes checked against a Map after every step
test('the id table answers as a Map would through inserts, deletes, slot reuse, growth and compaction', () => {
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const table = new IdTable();
  const bySlot = new Map<number, string>();
  const byId = new Map<string, number>();
  const idFor = (k: number) => (k % 5 === 0 ? `member-${k}-ünï` : `u${k}`);
  for (let step = 0; step < 60_000; step++) {
    const id = idFor(Math.floor(rand() * 8_000));
    if (rand() < 0.35 && byId.has(id)) {
      assert.equal(table.delete(id), byId.get(id));
      bySlot.delete(byId.get(id)!);
      byId.delete(id);
    } else {
      const slot = Math.floor(rand() * 6_000);
      const previous = bySlot.get(slot);
      if (previous !== undefined) byId.delete(previous);
      if (byId.has(id)) bySlot.delete(byId.get(id)!);
      table.set(id, slot);
      bySlot.set(slot, id);
      byId.set(id, slot);
    }
    if (step % 997 === 0) {
      assert.equal(table.size, byId.size);
      for (const [i, s] of byId) assert.equal(table.get(i), s, `${i} at step ${step}`);
      for (const [s, i] of bySlot) {
        assert.equal(table.idOf(s), i);
        assert.ok(table.holds(s, i));
      }
    }
  }
  for (let k = 0; k < 8_000; k++) assert.equal(table.get(idFor(k)), byId.get(idFor(k)));
  assert.equal(table.delete('never-seen'), undefined);
  assert.equal(table.idOf(5_999_999), undefined);
});

test('a full member table evicts its least recently used member and hands its slot to the newcomer', () => {
  const table = new MemberTable(3);
  const a = table.add('a').slot;
  table.add('b');
  table.add('c');
  table.touch(a);
  const added = table.add('d');
  assert.equal(added.evicted, 'b');
  assert.equal(table.slotOf('b'), undefined);
  assert.equal(table.slotOf('a'), a);
  assert.equal(table.userIdOf(added.slot), 'd');
  assert.ok(table.holds(added.slot, 'd'));
  assert.ok(!table.holds(added.slot, 'b'));
  assert.equal(table.size, 3);
  assert.ok(table.remove('a'));
  assert.equal(table.slotOf('a'), undefined);
  assert.equal(table.size, 2);
});
