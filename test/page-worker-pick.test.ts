/**
 * Where a read goes (pick-worker.ts, issue 22's latency tail): to the member's own worker, unless that
 * one is stalled — it has work and has answered none of it for STALL_MS — while another live worker
 * is not. And how a worker's stall is told (page-worker-handle.ts stalledMs) on a clock driven by hand.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { describe, it } from 'node:test';
import { PageWorkerHandle } from '../src/serving/page-workers/page-worker-handle.ts';
import { pickWorker, STALL_MS, type WorkerLoad } from '../src/serving/page-workers/pick-worker.ts';
import type { WorkerRequest } from '../src/serving/page-workers/protocol.ts';

const load = (stalledMs: number, unanswered = stalledMs > 0 ? 1 : 0, state: WorkerLoad['state'] = 'live'): WorkerLoad =>
  ({ state, unanswered, stalledMs: () => stalledMs });

describe('picking the page worker for a read', () => {
  it('the owner answers while it is not stalled, however busy it is', () => {
    assert.equal(pickWorker([load(0, 40), load(0, 0)], 0), 0, 'busy with 40 requests but answering');
    assert.equal(pickWorker([load(0), load(STALL_MS - 1)], 1), 1, 'just under the stall');
  });

  it('a stalled owner\'s read goes to a live worker that is not stalled', () => {
    assert.equal(pickWorker([load(STALL_MS), load(0)], 0), 1);
    assert.equal(pickWorker([load(0), load(80)], 1), 0);
  });

  it('of several, the one with the fewest requests unanswered; a tie goes to the first after the owner', () => {
    assert.equal(pickWorker([load(50, 8), load(0, 7), load(0, 3), load(0, 5)], 0), 2);
    assert.equal(pickWorker([load(0, 2), load(50, 2), load(0, 2)], 1), 2);
  });

  it('never to a worker with more requests unanswered than the stalled owner', () => {
    assert.equal(pickWorker([load(50, 2), load(0, 3)], 0), 0, 'the other is further behind');
    assert.equal(pickWorker([load(50, 3), load(0, 3)], 0), 1, 'as far behind, and answering');
  });

  it('the owner keeps the read when every other worker is stalled or not live', () => {
    assert.equal(pickWorker([load(50), load(30)], 0), 0, 'both stalled: no worse place to wait');
    assert.equal(pickWorker([load(50), load(0, 0, 'starting'), load(0, 0, 'retired')], 0), 0);
  });

  it('an owner that is not live is left to the pool\'s own order', () => {
    assert.equal(pickWorker([load(0, 0, 'starting'), load(0)], 0), 0);
  });

  it('a worker is stalled only from its last answer or its oldest unanswered request, whichever is later', async () => {
    let now = 1_000;
    const thread = new EventEmitter() as EventEmitter & { postMessage(m: WorkerRequest): void; terminate(): Promise<number> };
    const sent: WorkerRequest[] = [];
    thread.postMessage = (m) => { sent.push(m); };
    thread.terminate = async () => 0;
    const handle = new PageWorkerHandle(thread as unknown as Worker, 0, { ready() {}, gone() {}, log() {} }, () => now);
    thread.emit('message', { ready: true });
    assert.equal(handle.state, 'live');
    now += 5_000; // idle for 5 s: nothing to do is no stall
    assert.equal(handle.stalledMs(), 0);
    const first = handle.request({ op: 'metrics' });
    now += 3;
    assert.equal(handle.stalledMs(), 3, 'counted from the request, not from the answer 5 s ago');
    const second = handle.request({ op: 'metrics' });
    now += 20;
    assert.equal(handle.stalledMs(), 23);
    thread.emit('message', { id: sent[0].id, done: true });
    assert.deepEqual(await first, { id: sent[0].id, done: true });
    assert.equal(handle.stalledMs(), 0, 'it just answered');
    now += 12;
    assert.equal(handle.stalledMs(), 12, 'the second request, sent earlier, counts from that answer');
    thread.emit('message', { id: sent[1].id, done: true });
    await second;
    assert.equal(handle.stalledMs(), 0);
  });
});
