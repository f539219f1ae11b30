/**
 * Thread names (core/thread-name.ts): a thread that names itself is found under that name in /proc,
 * where bench/serve-fresh-cpu.ts reads each thread's CPU (server-probes.ts threadTicks); the main
 * thread is reported as the HTTP thread. Linux only: elsewhere naming does nothing and the test skips.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { threadTicks } from '../bench/server-probes.ts';
import { nameThisThread } from '../src/core/thread-name.ts';

const linux = existsSync('/proc/thread-self/comm');
const comm = () => readFileSync('/proc/thread-self/comm', 'utf8').trim();

describe('thread names', { skip: !linux && 'no /proc/thread-self (not Linux)' }, () => {
  it('names the calling thread, cut to the 15 characters Linux keeps', () => {
    const before = comm();
    try {
      nameThisThread('a-name-longer-than-fifteen');
      assert.equal(comm(), 'a-name-longer-t');
    } finally {
      nameThisThread(before);
    }
    assert.equal(comm(), before);
  });

  it('lists a named worker under its name while it runs; the main thread is "http"', async () => {
    // named as the page log's and the checkpointer's plain-JavaScript workers name themselves
    const worker = new Worker(`
      const { parentPort } = require('node:worker_threads');
      require('node:fs').writeFileSync('/proc/thread-self/comm', 'probe-named');
      parentPort.once('message', () => process.exit(0));
      parentPort.postMessage('named');
    `, { eval: true });
    await once(worker, 'message');
    const names = [...threadTicks(process.pid).values()].map((t) => t.name);
    assert.ok(names.includes('probe-named'), `the named worker is listed (${names.join(', ')})`);
    assert.equal(names.filter((n) => n === 'http').length, 1, 'the main thread, once');
    worker.postMessage('end');
    await once(worker, 'exit');
    assert.ok(![...threadTicks(process.pid).values()].some((t) => t.name === 'probe-named'), 'gone once it ended');
  });
});
