/**
 * `vitrine import rtr` on the real Rent the Runway file (Misra, Wan & McAuley, RecSys 2018): wall time per
 * phase, then a re-run (idempotence: everything a duplicate), and the counts the data must give
 * (192,544 events, 105,571 members, 5,850 items). Writes bench/results/import-rtr.json and .md.
 * Skips (exit 0) when ../shared/data/rtr is absent.
 *   node --import tsx bench/import-rtr.bench.ts
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importRtr, type ImportProgress, type ImportSummary } from '../src/pipeline/import/index.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';

const RTR_FILE = fileURLToPath(new URL('../../shared/data/rtr/renttherunway_interactions.csv.gz', import.meta.url));
const EXPECTED = { events: 192_544, members: 105_571, items: 5_850 };

if (!existsSync(RTR_FILE)) {
  console.log(`skipped: ${RTR_FILE} is absent (see ../shared/data/rtr/PROVENANCE.md)`);
  process.exit(0);
}

const dir = await mkdtemp(join(tmpdir(), 'vitrine-bench-import-'));
try {
  const store = new SqliteStore(join(dir, 'vitrine.db'));
  const phaseEnds: Partial<Record<ImportProgress['phase'], number>> = {};
  const began = performance.now();
  const cpuBefore = process.cpuUsage();
  const first = await importRtr(store, RTR_FILE, { onProgress: (p) => { phaseEnds[p.phase] = performance.now(); } });
  const cpu = process.cpuUsage(cpuBefore);
  const again = await importRtr(store, RTR_FILE);
  const stored = { events: await store.countEvents(), members: await store.countUsers(), items: await store.countItems() };
  await store.close();

  const since = (from: number, to: number | undefined) => round(((to ?? from) - from) / 1000);
  const phases = {
    readAndAppendEvents: since(began, phaseEnds.reading),
    catalogueItems: since(phaseEnds.reading ?? began, phaseEnds.catalogue),
    memberProfiles: since(phaseEnds.catalogue ?? began, phaseEnds.members),
  };
  const ok = first.events === EXPECTED.events && first.members === EXPECTED.members && first.items === EXPECTED.items
    && again.events === 0 && again.duplicates === EXPECTED.events
    && stored.events === EXPECTED.events && stored.members === EXPECTED.members && stored.items === EXPECTED.items;
  const result = {
    benchmark: 'import-rtr',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadAverage1m: round(loadavg()[0]) },
    file: RTR_FILE,
    expected: EXPECTED,
    first: pick(first),
    rerun: pick(again),
    stored,
    phasesSeconds: phases,
    cpuSeconds: round((cpu.user + cpu.system) / 1e6),
    rowsPerSecond: Math.round(first.rows / first.seconds),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    ok,
  };
  const md = `# vitrine import rtr — Rent the Runway (Misra, Wan & McAuley, RecSys 2018)

${result.date}, ${result.machine.cpus} × ${result.machine.cpu}, Node ${result.machine.node}, load average ${result.machine.loadAverage1m}
(other work on the machine slows wall times), SQLite store in a temp dir.
Command: \`node --import tsx bench/import-rtr.bench.ts\`

| run | events stored | duplicates | members | items | bad rows | wall s | rows/s |
|---|---|---|---|---|---|---|---|
| first | ${first.events} | ${first.duplicates} | ${first.members} | ${first.items} | ${first.badRows.total} | ${round(first.seconds)} | ${result.rowsPerSecond} |
| re-run | ${again.events} | ${again.duplicates} | ${again.members} | ${again.items} | ${again.badRows.total} | ${round(again.seconds)} | ${Math.round(again.rows / again.seconds)} |

First run by phase: read + append events ${phases.readAndAppendEvents} s, catalogue ${phases.catalogueItems} s,
member profiles ${phases.memberProfiles} s (one transaction per member: the Store has no batch upsertUsers).
CPU ${result.cpuSeconds} s; peak RSS ${result.peakRssMB} MB. Counts as expected (192,544 / 105,571 / 5,850): **${ok ? 'yes' : 'NO'}**.
`;
  await writeFile(new URL('./results/import-rtr.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(new URL('./results/import-rtr.md', import.meta.url), md);
  console.log(md);
  if (!ok) process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}

function pick(s: ImportSummary) {
  return { rows: s.rows, events: s.events, duplicates: s.duplicates, members: s.members, items: s.items, badRows: s.badRows.total, seconds: round(s.seconds) };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
