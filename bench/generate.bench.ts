/**
 * Throughput of the synthetic world generator: the whole `vitrine generate` path (simulate + JSON +
 * disk) and the simulation alone (events discarded), on one config. Writes
 * bench/results/generate.json and generate.md.
 *   node --import tsx bench/generate.bench.ts [--users 20000 --items 3000 --days 180 --seed 7]
 */
import { mkdtemp, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateWorld, type WorldOptions } from '../src/sim/world/generate.ts';
import { WORLD_FILES, writeWorld } from '../src/sim/world/write-world.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '20000' }, items: { type: 'string', default: '3000' },
    days: { type: 'string', default: '180' }, seed: { type: 'string', default: '7' },
  },
});
const opts: WorldOptions = { users: Number(values.users), items: Number(values.items), days: Number(values.days), seed: Number(values.seed) };

const dir = await mkdtemp(join(tmpdir(), 'vitrine-bench-world-'));
try {
  let began = performance.now();
  let events = 0;
  await generateWorld(opts, { events: (batch) => void (events += batch.length) });
  const simulateSeconds = (performance.now() - began) / 1000;

  began = performance.now();
  const meta = await writeWorld(opts, dir);
  const writeSeconds = (performance.now() - began) / 1000;
  const eventsBytes = (await stat(join(dir, WORLD_FILES.events))).size;

  const result = {
    benchmark: 'generate',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    options: opts,
    events: meta.counts.events,
    rents: meta.counts.byType.rent,
    churned: meta.counts.churned,
    simulateOnly: { seconds: round(simulateSeconds), eventsPerSecond: Math.round(events / simulateSeconds) },
    writeToDisk: {
      seconds: round(writeSeconds),
      eventsPerSecond: Math.round(meta.counts.events / writeSeconds),
      eventsFileMB: round(eventsBytes / 1e6),
      secondsPerMillionEvents: round(writeSeconds / (meta.counts.events / 1e6)),
    },
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  const md = `# vitrine generate — throughput

${result.date}, ${result.machine.cpus} × ${result.machine.cpu}, Node ${result.machine.node}.
Command: \`node --import tsx bench/generate.bench.ts --users ${opts.users} --items ${opts.items} --days ${opts.days} --seed ${opts.seed}\`

| path | events | seconds | events/s | s per 1M events |
|---|---|---|---|---|
| simulate only (events discarded) | ${events} | ${result.simulateOnly.seconds} | ${result.simulateOnly.eventsPerSecond} | ${round(simulateSeconds / (events / 1e6))} |
| simulate + JSONL to disk | ${meta.counts.events} | ${result.writeToDisk.seconds} | ${result.writeToDisk.eventsPerSecond} | ${result.writeToDisk.secondsPerMillionEvents} |

events.jsonl: ${result.writeToDisk.eventsFileMB} MB; ${result.rents} rents; ${result.churned} members cancelled; peak RSS ${result.peakRssMB} MB.
`;
  const out = new URL('./results/', import.meta.url);
  await mkdir(out, { recursive: true });
  await writeFile(new URL('generate.json', out), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(new URL('generate.md', out), md);
  console.log(md);
} finally {
  await rm(dir, { recursive: true, force: true });
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
