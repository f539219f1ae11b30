import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeThreadCpuClock, startTaskTrace, type Stretch, taskTraceThresholdMs } from '../src/core/task-trace.ts';

test('task trace: reports the stretches of CPU at or over the threshold, between the marks that bound them', () => {
  let cpu = 0, wall = 0;
  const seen: Stretch[] = [];
  const trace = startTaskTrace('t', { thresholdMs: 20, heartbeatMs: 0, cpuNs: () => cpu, now: () => wall, report: (s) => seen.push(s) });
  cpu += 5e6; wall += 40; // 5 ms of CPU in 40 ms: under the threshold, whatever the wall time
  trace.mark('begin page a');
  cpu += 25e6; wall += 30;
  trace.mark('reply page a');
  cpu += 20e6; wall += 20; // exactly the threshold
  trace.mark('tick');
  cpu += 19.9e6;
  trace.mark('begin page b');
  trace.stop();
  assert.deepEqual(seen.map((s) => [s.from, s.to, s.cpuMs, s.wallMs]), [
    ['begin page a', 'reply page a', 25, 30],
    ['reply page a', 'tick', 20, 20],
  ]);
});

test('task trace: off without a threshold, and the threshold is read from VITRINE_TASK_TRACE_MS', () => {
  assert.equal(taskTraceThresholdMs({}), undefined);
  assert.equal(taskTraceThresholdMs({ VITRINE_TASK_TRACE_MS: '12.5' }), 12.5);
  assert.equal(taskTraceThresholdMs({ VITRINE_TASK_TRACE_MS: 'x' }), undefined);
  let calls = 0;
  const off = startTaskTrace('t', { cpuNs: () => ++calls, heartbeatMs: 0, report: () => assert.fail('off') });
  off.mark('a');
  off.stop();
  // with VITRINE_TASK_TRACE_MS unset in the test environment nothing is read
  if (process.env.VITRINE_TASK_TRACE_MS === undefined) assert.equal(calls, 0);
});

test('thread CPU clock: counts this thread\'s work and not its sleep (Linux)', { skip: process.platform !== 'linux' }, () => {
  const clock = makeThreadCpuClock();
  const a = clock();
  let x = 0;
  const until = performance.now() + 30;
  while (performance.now() < until) x += Math.sqrt(x + 1);
  const b = clock();
  assert.ok(x > 0);
  assert.ok(b - a > 0, `${b - a} ns`);
  const sab = new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(sab, 0, 0, 50); // 50 ms asleep
  assert.ok(clock() - b < 20e6, 'a sleeping thread uses (almost) no CPU');
});
