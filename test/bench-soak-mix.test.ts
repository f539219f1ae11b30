// The soak's traffic model (bench/soak-mix.ts): event batches are members' sessions at a human pace.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { soakMix, type SoakItem } from '../bench/soak-mix.ts';

const members = Array.from({ length: 1000 }, (_, i) => `m${i}`);
const items: SoakItem[] = Array.from({ length: 50 }, (_, i) => ({
  id: `i${i}`, input: { title: `item ${i}`, category: 'dress', sizes: { '8': 1 } } as SoakItem['input'],
}));

/** The members who sent each event batch among `requests` requests, the clock moving `stepMs` per request. */
function batchSenders(stepMs: number, requests = 3000): string[] {
  let t = 0;
  const mix = soakMix({ members, items, zipf: 1, eventsPerBatch: 10, seed: 7, runId: 'r', now: () => t });
  const senders: string[] = [];
  for (let k = 0; k < requests; k++) {
    const spec = mix.next();
    t += stepMs;
    if (spec.kind === 'events') senders.push((spec.body as { events: Array<{ userId: string }> }).events[0].userId);
  }
  return senders;
}

describe('soak traffic', () => {
  it('no member sends two event batches within a minute', () => {
    const senders = batchSenders(10); // 3000 requests in 30 s
    assert.ok(senders.length > 150, `${senders.length} batches`);
    assert.equal(new Set(senders).size, senders.length);
  });

  it('the regulars send again once the minute has passed', () => {
    const senders = batchSenders(61_000);
    assert.ok(new Set(senders).size < senders.length, 'a Zipf regular is drawn again when allowed');
  });
});
