/**
 * /readyz's probe (src/serving/readiness.ts): answered from the latest check, a slow check is not
 * unreadiness, a failed one is, and so is no success for `staleMs`. The checks are promises the test
 * settles and the clock is injected, so every step is a known answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VitrineError } from '../src/core/errors.ts';
import { type Readiness, ReadinessProbe } from '../src/serving/readiness.ts';

/** A check whose runs the test settles one by one. */
function controlledCheck() {
  const runs: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  return {
    runs,
    check: {
      run: () => new Promise<void>((resolve, reject) => { runs.push({ resolve, reject }); }),
      describe: (err: unknown) => new VitrineError('VITRINE_STATE_UNAVAILABLE', `redis: ${(err as Error).message}`),
    },
  };
}

const codeOf = (r: Readiness) => (r.ready ? 'ready' : r.error.code);

describe('readiness probe', () => {
  it('waits for the first check, then answers from the latest while a slow one runs, one at a time', async () => {
    let now = 1000;
    const { runs, check } = controlledCheck();
    const probe = new ReadinessProbe([check], { refreshMs: 500, staleMs: 10_000, clock: () => now });
    const first = probe.status();
    assert.equal(runs.length, 1);
    runs[0].resolve();
    assert.equal(codeOf(await first), 'ready');

    now += 400; // fresher than refreshMs: no new check
    assert.equal(codeOf(await probe.status()), 'ready');
    assert.equal(runs.length, 1);

    now += 200; // stale: a check starts in the background and the answer does not wait for it
    assert.equal(codeOf(await probe.status()), 'ready');
    assert.equal(runs.length, 2);
    now += 600;
    assert.equal(codeOf(await probe.status()), 'ready');
    assert.equal(runs.length, 2, 'one check in flight at a time');

    now = 1600 + 10_000; // the slow check began at 1600: not yet over staleMs
    assert.equal(codeOf(await probe.status()), 'ready');
    now += 1; // now it is: a hung store
    const hung = await probe.status();
    assert.equal(codeOf(hung), 'VITRINE_STORE_UNAVAILABLE');
    runs[1].resolve();
    await new Promise<void>((resolve) => setImmediate(resolve)); // its settling runs on the microtask queue
    assert.equal(codeOf(await probe.status()), 'ready', 'the slow check succeeded');
  });

  it('answers the first call after a quiet spell with the latest result, not as unready', async () => {
    let now = 0;
    const { runs, check } = controlledCheck();
    const probe = new ReadinessProbe([check], { refreshMs: 500, staleMs: 10_000, clock: () => now });
    const first = probe.status();
    runs[0].resolve();
    assert.equal(codeOf(await first), 'ready');
    now = 60_000; // nobody asked for a minute
    assert.equal(codeOf(await probe.status()), 'ready');
    assert.equal(runs.length, 2, 'and a fresh check started');
  });

  it('reports a failed check with its code until a check succeeds again', async () => {
    let now = 0;
    const store = controlledCheck();
    const redis = controlledCheck();
    const probe = new ReadinessProbe([store.check, redis.check], { refreshMs: 500, staleMs: 10_000, clock: () => now });
    const first = probe.status();
    store.runs[0].resolve();
    await new Promise<void>((resolve) => setImmediate(resolve));
    redis.runs[0].reject(new Error('connection refused'));
    const down = await first;
    assert.equal(codeOf(down), 'VITRINE_STATE_UNAVAILABLE');
    assert.match(down.ready ? '' : down.error.message, /redis: connection refused/);

    now += 500; // a refresh starts; the answer is still the failure
    assert.equal(codeOf(await probe.status()), 'VITRINE_STATE_UNAVAILABLE');
    store.runs[1].reject(new VitrineError('VITRINE_STORE_BUSY', 'no free connection'));
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(codeOf(await probe.status()), 'VITRINE_STORE_BUSY', "a VitrineError keeps its own code; the second check is not run");
    assert.equal(redis.runs.length, 1);

    now += 500;
    const recovering = probe.status();
    assert.equal(codeOf(await recovering), 'VITRINE_STORE_BUSY');
    store.runs[2].resolve();
    await new Promise<void>((resolve) => setImmediate(resolve));
    redis.runs[1].resolve();
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(codeOf(await probe.status()), 'ready');
  });
});
