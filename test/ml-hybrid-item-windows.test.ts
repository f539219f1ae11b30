import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY_MS } from '../src/core/time.ts';
import { ItemTimeline } from '../src/ml/hybrid/item-timeline.ts';
import { ItemWindows } from '../src/ml/hybrid/item-windows.ts';

// clock at day 100; rows (item, day, size rank) in time order
const ROWS: Array<[number, number, number]> = [
  [0, 40, 1], [1, 60, -1], [0, 71, 0], [1, 80, 1], [0, 88, 1], [1, 95, 1], [0, 99, 1], [1, 100, 1],
];
const CLOCK_DAY = 100;

function timeline(): ItemTimeline {
  const n = ROWS.length;
  return new ItemTimeline(
    2, 2, 0,
    Int32Array.from(ROWS, (r) => r[0]), Float64Array.from(ROWS, (r) => r[1] * DAY_MS), Int32Array.from(ROWS, (r) => r[2]),
    new Int32Array(n).fill(-1), new Uint8Array(n), new Int32Array(2), [''], new Float32Array(2), new Float64Array(2),
  );
}

test('weekly rentals back from the clock: the weeks before a member\'s last day', () => {
  const t = timeline();
  const w = ItemWindows.compute(t, t.rowsBefore(CLOCK_DAY * DAY_MS), CLOCK_DAY);
  // weeks back from day 100: [0] ages 0–7 (days 99, 95), [1] 7–14 (88), [2] 14–21 (80), [4] 28–35 (71), [5] 35–42 (60), [8] (40)
  assert.equal(w.nWeeks, 9);
  const [from, to] = w.weeksBefore(CLOCK_DAY, 90, 4);
  assert.deepEqual([from, to], [1, 5]);
  assert.equal(w.rentals(0, from, to), 2); // days 88 and 71
  assert.equal(w.rentals(1, from, to), 1); // day 80
  assert.equal(w.weeklyTotal[to] - w.weeklyTotal[from], 3);
  assert.equal(w.rentals(1, 0, w.nWeeks), 3); // days 95, 80, 60; day 100 is not before the clock
});
