/** bench/results/serve-memory.{json,md}: the latest run of bench:serve-memory in full, and every run in a table. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

export interface ServeMemoryRun {
  date: string;
  cpus: number;
  node: string;
  /** NODE_OPTIONS the server ran with ('' for none) */
  nodeOptions: string;
  command: string;
  pageWorkers: number;
  /** serving.pageWorkerHeapMb (0 or absent: V8's default) */
  pageWorkerHeapMb?: number;
  /** serving.heapGrowthPercent (0 or absent: V8's own factor) */
  heapGrowthPercent?: number;
  /** serving.allocationSitePretenuring (absent in runs before ADR 0015: on, V8's default) */
  allocationSitePretenuring?: boolean;
  /** serving.rowCacheMembers, the config's default (absent in runs before it was recorded: 5,000) */
  rowCacheMembers?: number;
  /** the generated world's members and items (absent in the first runs: 200,000 × 20,000) */
  world?: { users: number; items: number };
  /** heaps committed (/metrics): the HTTP thread's and the page workers' together (absent in earlier runs) */
  points: Array<{ asked: number; held: number; rssMB: number; pagesPerSecond: number; httpHeapMB?: number; workersHeapMB?: number }>;
  bytesPerMember: number;
  projectedMBAt1M: number;
  targetMB: number;
  met: boolean;
}

/** the members the issue's memory target is stated for */
export const TARGET_MEMBERS = 1_000_000;

const OUT = new URL('./results/', import.meta.url);

/** Appends `run` to the results file's runs and rewrites both files; returns the markdown. */
export function writeServeMemoryResults(run: ServeMemoryRun, worldMembers: number): string {
  mkdirSync(OUT, { recursive: true });
  const file = new URL('serve-memory.json', OUT);
  const earlier = existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { runs?: ServeMemoryRun[] }).runs ?? []) : [];
  const runs = [...earlier, run];
  writeFileSync(file, `${JSON.stringify({ latest: run, worldMembers, runs }, null, 2)}\n`);
  const md = markdown(run, runs, worldMembers);
  writeFileSync(new URL('serve-memory.md', OUT), md);
  return md;
}

export function markdown(r: ServeMemoryRun, runs: readonly ServeMemoryRun[], worldMembers: number): string {
  return `# Serving memory — RSS as members' state fills the process

${r.date} · ${r.cpus} cores · Node ${r.node} · ${r.pageWorkers} page worker(s)${r.pageWorkerHeapMb ? ` bounded at ${r.pageWorkerHeapMb} MB of heap each` : ''}${r.heapGrowthPercent ? ` · heaps grow ${r.heapGrowthPercent}% past live (\`serving.heapGrowthPercent\`)` : ''} · allocation-site pretenuring ${pretenuring(r)}, default caches (\`serving.rowCacheMembers\` ${(r.rowCacheMembers ?? 5_000).toLocaleString('en')})${r.nodeOptions ? ` · NODE_OPTIONS=${r.nodeOptions}` : ''}
Command: \`${r.command}\`

Pages are asked for members never seen before, step by step (each hydrates the member's state from the
store); RSS is the whole \`vitrine serve\` process (every thread), read from /proc after each step.

| members asked for | members held | RSS, MB | HTTP thread heap, MB | page workers' heaps, MB | pages/s (cold members) |
|---|---|---|---|---|---|
${r.points.map((p) => `| ${p.asked.toLocaleString('en')} | ${p.held.toLocaleString('en')} | ${p.rssMB} | ${p.httpHeapMB ?? '—'} | ${p.workersHeapMB ?? '—'} | ${p.pagesPerSecond || '—'} |`).join('\n')}

${summary(r, worldMembers)}

## Runs

| date | world members | NODE_OPTIONS | page workers | worker heap bound, MB | heap growth, % | pretenuring | members held (last step) | RSS, MB | bytes per member | RSS at 1M members, MB (extrapolated unless held) |
|---|---|---|---|---|---|---|---|---|---|---|
${runs.map((x) => `| ${x.date} | ${(x.world?.users ?? 200_000).toLocaleString('en')} | ${x.nodeOptions || '—'} | ${x.pageWorkers} | ${x.pageWorkerHeapMb || '—'} | ${x.heapGrowthPercent || '—'} | ${pretenuring(x)} | ${x.points.at(-1)?.held.toLocaleString('en')} | ${x.points.at(-1)?.rssMB} | ${x.bytesPerMember} | ${x.projectedMBAt1M} |`).join('\n')}
`;
}

/** Whether the run had V8's allocation-site pretenuring (runs before ADR 0015 did: V8's default). */
const pretenuring = (run: ServeMemoryRun): string => (run.allocationSitePretenuring === false ? 'off' : 'on');

/** The run's answer: measured when its last step held 1M members, else extrapolated from the last two steps. */
function summary(r: ServeMemoryRun, worldMembers: number): string {
  const last = r.points.at(-1);
  const verdict = `(target ≤ ${r.targetMB.toLocaleString('en')}: ${r.met ? 'met' : '**not met**'})`;
  if (last && last.held >= TARGET_MEMBERS) {
    return `Measured: with ${last.held.toLocaleString('en')} members held the process has **${last.rssMB} MB** of RSS ${verdict}; over the
last two steps it grew ${r.bytesPerMember} bytes per member held. The world has ${worldMembers.toLocaleString('en')} members with events.`;
  }
  return `Past the caches' bound the process grows **${r.bytesPerMember} bytes per member held** (the last two steps),
so with 1,000,000 members held: **~${r.projectedMBAt1M} MB** ${verdict}. An extrapolation:
the world has ${worldMembers.toLocaleString('en')} members with events.`;
}
