/**
 * The client side of the durability crash test, run as its own process:
 *   node --import tsx test/helpers/crash-client.ts --url URL --run ID --count N --users U --items I
 *     --seed S --start-ts MS [--batch 100] [--inflight 4]
 * Rebuilds the test's synthetic events from the options and POSTs them in batches, several in
 * flight. Each batch acknowledged with a 200 is printed at once as one JSON line `{"acked": [ids]}`
 * (stdout to a pipe is synchronous on Linux, so a printed ack is never lost). After the first failed
 * request (the server was killed) it sends nothing new, lets in-flight requests settle, prints
 * `{"done": true, ...}` and exits 0.
 */
import { parseArgs } from 'node:util';
import { syntheticEvents } from './synthetic-events.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' }, run: { type: 'string' }, count: { type: 'string' }, users: { type: 'string' },
    items: { type: 'string' }, seed: { type: 'string' }, 'start-ts': { type: 'string' },
    batch: { type: 'string', default: '100' }, inflight: { type: 'string', default: '4' },
  },
});
const events = syntheticEvents({
  runId: String(values.run), count: Number(values.count), users: Number(values.users), items: Number(values.items),
  seed: Number(values.seed), startTs: Number(values['start-ts']),
});
const batchSize = Number(values.batch);
const endpoint = `${values.url}/v1/events`;

let next = 0;
let failures = 0;
let failed = false;

const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function sendLoop(): Promise<void> {
  while (!failed && next < events.length) {
    const batch = events.slice(next, next + batchSize);
    next += batch.length;
    try {
      const res = await fetch(endpoint, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: batch }),
      });
      const body = await res.json() as { accepted?: number; duplicates?: number };
      if (res.status !== 200) throw new Error(`status ${res.status}: ${JSON.stringify(body)}`);
      if (body.accepted !== batch.length) throw new Error(`accepted ${body.accepted} of ${batch.length}`);
      print({ acked: batch.map((e) => e.id) });
    } catch (err) {
      // the server is gone (or refused): stop; the checker treats this batch as unacknowledged
      failures++;
      failed = true;
      print({ failed: batch[0].id, error: (err as Error).message });
    }
  }
}

await Promise.all(Array.from({ length: Number(values.inflight) }, () => sendLoop()));
print({ done: true, sent: next, failures });
