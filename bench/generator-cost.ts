/**
 * What the open-loop load generator (serve-rated.ts, as bench:soak drives it) costs in CPU by itself:
 * the same pacing against a trivial HTTP server (a child process answering `{}`), at a few rates. The
 * generator shares the machine with the server it loads, so its share is part of any "x% of capacity".
 *   node --import tsx bench/generator-cost.ts [--rates 100,300,600] [--seconds 10]
 */
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { runRatedStep } from './rated-step.ts';
import type { RequestSpec } from './serve-load.ts';

const { values } = parseArgs({ options: { rates: { type: 'string', default: '100,300,600' }, seconds: { type: 'string', default: '10' } } });
const TRIVIAL = "require('http').createServer((q, s) => { q.resume(); q.on('end', () => s.end('{}')); })"
  + ".listen(0, '127.0.0.1', function () { console.log(this.address().port); })";
const child = spawn(process.execPath, ['-e', TRIVIAL], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d) => resolve(String(d).trim())));
  // the soak's shapes: pages (GET) and, one in twelve, a 10-event batch (POST with a JSON body)
  const batch = { events: Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, type: 'view', userId: 'u', itemId: 'i', ts: 1 })) };
  let k = 0;
  const next = (): RequestSpec => (k++ % 12 === 0 ? { method: 'POST', path: '/v1/events', body: batch } : { method: 'GET', path: `/v1/users/u${k}/page?rows=8&size=20` });
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' / ')}`);
  for (const rate of values.rates.split(',').map(Number)) {
    const s = await runRatedStep({ baseUrl: `http://127.0.0.1:${port}`, pid: child.pid, paths: [], next, connections: 50, rate, seconds: Number(values.seconds) });
    const msPerRequest = (s.generatorCpuShare * availableParallelism() * s.seconds * 1000) / s.requests;
    console.log(`${rate}/s: generator ${Math.round(s.generatorCpuShare * 1000) / 10}% of the cores, ${msPerRequest.toFixed(3)} ms of CPU a request`
      + ` (trivial server ${Math.round(s.serverCpuShare * 1000) / 10}%, others ${Math.round(s.othersCpuShare * 1000) / 10}%)`);
  }
} finally {
  child.kill();
}
