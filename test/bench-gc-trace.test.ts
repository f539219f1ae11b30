// The soak's GC reader (bench/gc-trace.ts) on lines Node 20's --trace-gc printed (a main isolate and a
// worker's): each collection's pause plus its incremental marking steps, tallied per isolate.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GcTally, parseGcLine } from '../bench/gc-trace.ts';

const MAIN_MC = '[11231:0x1c95bc00]     1468 ms: Mark-Compact 69.0 (98.5) -> 66.2 (100.5) MB, 101.57 / 0.00 ms  (+ 15.9 ms in 39 steps since start of marking, biggest step 12.1 ms, walltime since start of marking 126 ms) (average mu = 0.904, current mu = 0.904) finalize incremental marking via stack guard; GC in old space requested';
const WORKER_MC = '[11231:0x7fe048000f00]     1162 ms: Mark-Compact 80.2 (112.2) -> 79.0 (114.0) MB, 10.89 / 0.00 ms  (+ 35.3 ms in 15 steps since start of marking, biggest step 32.3 ms, walltime since start of marking 47 ms) (average mu = 0.944, current mu = 0.944) finalize incremental marking via stack guard; GC in old space requested';
const MAIN_SCAVENGE = '[11231:0x1c95bc00]      139 ms: Scavenge 4.4 (5.5) -> 3.8 (6.0) MB, 47.63 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ';
const REDUCE = '[11231:0x1c95bc00]     2001 ms: Mark-Compact (reduce) 50.1 (60.0) -> 40.5 (55.0) MB, 8.00 / 0.00 ms  (average mu = 0.900, current mu = 0.900) external memory pressure; GC in old space requested';

describe('--trace-gc lines', () => {
  it('reads the isolate, the kind, the heap after and the pause with its marking steps', () => {
    assert.deepEqual(parseGcLine(MAIN_MC), { isolate: '0x1c95bc00', kind: 'mark-compact', heapAfterMB: 66.2, pauseMs: 101.57, stepsMs: 15.9 });
    assert.deepEqual(parseGcLine(MAIN_SCAVENGE), { isolate: '0x1c95bc00', kind: 'scavenge', heapAfterMB: 3.8, pauseMs: 47.63, stepsMs: 0 });
    assert.deepEqual(parseGcLine(REDUCE), { isolate: '0x1c95bc00', kind: 'mark-compact', heapAfterMB: 40.5, pauseMs: 8, stepsMs: 0 });
  });

  it('ignores every other line the server prints', () => {
    assert.equal(parseGcLine('{"level":30,"msg":"vitrine listening on http://127.0.0.1:4000"}'), undefined);
    assert.equal(parseGcLine(''), undefined);
  });

  it('tallies per isolate, costliest first, and starts afresh after each take', () => {
    const gc = new GcTally();
    for (const line of [MAIN_SCAVENGE, WORKER_MC, 'a log line', MAIN_MC]) gc.line(line);
    assert.deepEqual(gc.take(), [
      { isolate: '0x1c95bc00', totalMs: 165.1, maxMs: 117.5, scavenges: 1, markCompacts: 1, heapMB: 66.2 },
      { isolate: '0x7fe048000f00', totalMs: 46.2, maxMs: 46.2, scavenges: 0, markCompacts: 1, heapMB: 79 },
    ]);
    assert.deepEqual(gc.take(), []);
    gc.line(REDUCE);
    assert.deepEqual(gc.take(), [{ isolate: '0x1c95bc00', totalMs: 8, maxMs: 8, scavenges: 0, markCompacts: 1, heapMB: 40.5 }]);
  });
});
