/** The soak benchmark's results file: bench/results/soak.json (with the run history) and soak.md. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IsolateGc } from './gc-trace.ts';
import { type DiagnosedSpan, diagnosticLines } from './soak-diagnostics.ts';
import type { LoadResult } from './serve-load.ts';
import { pct, shares, type SoakCapacity } from './soak-capacity.ts';
import type { StoreGrowth, StoreSnapshot } from './soak-store.ts';

export interface SoakMinute {
  minute: number;
  requests: number;
  perSecond: number;
  latencyMs: LoadResult['latencyMs'];
  non2xx: number;
  errors: number;
  maxBacklog: number;
  /** the server's CPU time (user + system, all threads) per request answered */
  cpuMsPerRequest: number;
  /** the server's CPU time / (cores × the minute), and the load generator's (this process): what the machine gave each */
  serverCpuShare?: number;
  generatorCpuShare?: number;
  /** every other process's share of the machine's CPU over the minute (/proc/stat): the neighbours */
  othersCpuShare?: number;
  /** the generator's event-loop delay p99, ms: a stalled generator would charge its stall to the server */
  clientLoopDelayP99Ms?: number;
  rssMB: number;
  /** members whose online state the server holds (vitrine_online_members): what RSS grows with */
  onlineMembers: number;
  /** bytes of the members' packed lists (recent positives, marks, sizes: vitrine_online_list_bytes), MB */
  onlineListMB?: number;
  /** committed heap of the HTTP thread and of the page workers together */
  heapMB: { http: number; workers: number };
  storeMB: { file: number; wal: number };
  pageHitRate: number | null;
  rowHitRate: number | null;
  loadAverage: number;
  /** p99 latency per kind of request (page, events, memberRead, availability, itemUpdate), ms */
  p99ByKindMs?: Record<string, number>;
  /** the server's CPU per request by thread name, ms (rated-step.ts) */
  threadCpuMsPerRequest?: Record<string, number>;
  /** GC pauses by isolate over the minute (with --trace-gc) */
  gc?: IsolateGc[];
}

export interface SoakResult {
  benchmark: 'soak';
  date: string;
  machine: { cpus: number; cpu?: string; node: string; memoryGB: number };
  loadAverage: { before: number[]; after: number[] };
  command: string;
  note?: string;
  world: { users: number; items: number; days: number; seed: number; members: number; catalogued: number; cached: boolean };
  setup: { connections: number; pageWorkers: number; itemImpressionEvents: boolean; zipf: number; eventsPerBatch: number; minBatchIntervalMs?: number; shares: Record<string, number> };
  /** one page for every member before the capacity run */
  warmup?: { seconds: number; pages: number };
  /** the open-loop search (soak-capacity.ts); history rows without `capacityMethod` had a closed-loop saturation run's figure */
  capacity: SoakCapacity;
  /** requests/s offered during the soak: loadShare × capacity */
  rate: number;
  loadShare: number;
  minutes: SoakMinute[];
  /** requests made during the soak, by kind */
  made: Record<string, number>;
  eventsSent: number;
  /** non-2xx answers during the soak, by route, status and code */
  failures: Record<string, number>;
  rssMB: { start: number; soakStart: number; afterWarmup: number; end: number; peak: number };
  store: { start: StoreSnapshot; end: StoreSnapshot; growth: StoreGrowth };
  targets?: Record<string, { value: number | string; target: string; met: boolean | null }>;
  history?: Array<Record<string, unknown>>;
}

const OUT = new URL('./results/', import.meta.url);
const KINDS = ['page', 'events', 'memberRead', 'availability', 'itemUpdate'];
const MB = (bytes: number) => Math.round(bytes / 1e5) / 10;

/** What "p99 stable" means, as the run prints it. */
export const STABILITY_RULE = 'after the first minute, every minute\'s p99 ≤ 2 × the median minute\'s p99 (spread), '
  + 'and the median p99 of the last 3 minutes ≤ 1.5 × that of the first 3 (no upward trend; needs ≥ 6 minutes after the first)';

export interface P99Stability {
  median: number;
  worst: number;
  /** every minute ≤ 2 × the median (null: no minute to judge) */
  spreadMet: boolean | null;
  /** median of the first and the last 3 minutes' p99 (null: fewer than 6 minutes) */
  first3: number | null;
  last3: number | null;
  /** last3 ≤ 1.5 × first3 (null: fewer than 6 minutes) */
  trendMet: boolean | null;
}

/** The stability of per-minute p99s (the warm-up minute already left out), by STABILITY_RULE. */
export function p99Stability(p99s: readonly number[]): P99Stability {
  const med = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  if (p99s.length === 0) return { median: NaN, worst: NaN, spreadMet: null, first3: null, last3: null, trendMet: null };
  const median = med(p99s), worst = Math.max(...p99s);
  const trend = p99s.length >= 6 ? { first3: med(p99s.slice(0, 3)), last3: med(p99s.slice(-3)) } : null;
  return {
    median, worst, spreadMet: worst <= 2 * median,
    first3: trend?.first3 ?? null, last3: trend?.last3 ?? null, trendMet: trend ? trend.last3 <= 1.5 * trend.first3 : null,
  };
}

/** The soak's verdicts: errors, p99 stability after the warm-up minute, RSS growth after it, store growth explained. */
export function soakTargets(r: SoakResult): NonNullable<SoakResult['targets']> {
  const errors = r.minutes.reduce((n, m) => n + m.non2xx + m.errors, 0);
  const settled = r.minutes.slice(1); // the first minute is the warm-up
  const stability = p99Stability(settled.map((m) => m.latencyMs.p99));
  const growth = settled.length ? (r.rssMB.end - r.rssMB.afterWarmup) / r.rssMB.afterWarmup : NaN;
  // the server's own work per request does not move with the neighbours' load, p99 on a shared machine does
  const cpu = settled.map((m) => m.cpuMsPerRequest).sort((a, b) => a - b);
  const cpuMedian = cpu.length ? cpu[Math.floor(cpu.length / 2)] : NaN;
  const cpuWorst = cpu.length ? Math.max(cpuMedian - cpu[0], cpu[cpu.length - 1] - cpuMedian) / cpuMedian : NaN;
  const explained = r.store.growth.logicalBytes > 0 ? r.store.growth.explainedBytes / r.store.growth.logicalBytes : 1;
  return {
    errors: { value: errors, target: '0', met: errors === 0 },
    p99Stable: {
      value: settled.length ? `worst ${stability.worst} ms, median ${stability.median} ms` : 'n/a (one minute)',
      target: 'every minute after the first ≤ 2 × the median', met: stability.spreadMet,
    },
    p99NoTrend: {
      value: stability.first3 === null ? `n/a (${settled.length} minute(s) after the first; needs 6)` : `first 3 ${stability.first3} ms → last 3 ${stability.last3} ms (medians)`,
      target: 'last 3 minutes ≤ 1.5 × first 3', met: stability.trendMet,
    },
    cpuStable: {
      value: cpu.length ? `${cpu[0]}–${cpu[cpu.length - 1]} ms, median ${cpuMedian}` : 'n/a (one minute)',
      target: 'every minute after the first within ±25% of the median', met: cpu.length ? cpuWorst <= 0.25 : null,
    },
    rssGrowth: { value: Number.isNaN(growth) ? 'n/a (one minute)' : `${Math.round(growth * 1000) / 10}%${perMember(r)}`, target: '< 10% after the first minute', met: Number.isNaN(growth) ? null : growth < 0.1 },
    storeExplained: { value: `${Math.round(explained * 1000) / 10}%`, target: '≥ 90% of the growth by rows × bytes/row', met: explained >= 0.9 },
    loadInCpu: loadInCpu(r, settled),
  };
}

/**
 * What "load × capacity" was in the server's CPU: its median share of the cores over the soak against its
 * share at the capacity step. A capacity step cheaper per request than the soak (measured before the
 * cost settled) shows here as a soak far above `load` (issue 20: 78% / 82% = 95% at a "70%" load).
 */
function loadInCpu(r: SoakResult, settled: readonly SoakMinute[]): { value: string; target: string; met: boolean | null } {
  const target = `≤ ${Math.round((r.loadShare + 0.1) * 100)}% (the load asked, ${Math.round(r.loadShare * 100)}%, + 10 points)`;
  const shares = settled.map((m) => m.serverCpuShare).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
  const atCapacity = r.capacity.atCapacity.serverCpuShare;
  if (r.rate !== Math.max(1, Math.round(r.capacity.perSecond * r.loadShare))) return { value: 'n/a (a fixed --rate)', target, met: null };
  if (shares.length === 0 || !(atCapacity > 0)) return { value: 'n/a', target, met: null };
  const share = shares[Math.floor(shares.length / 2)] / atCapacity;
  return { value: `${pct(share)} (server ${pct(shares[Math.floor(shares.length / 2)])} of the cores, median minute; ${pct(atCapacity)} at capacity)`, target, met: share <= r.loadShare + 0.1 };
}

/** RSS added per member the server came to hold after the first minute (what the growth goes with), as text. */
function perMember(r: SoakResult): string {
  const [first, last] = [r.minutes[0], r.minutes.at(-1)!];
  const heaps = last.heapMB && first.heapMB
    ? `; heaps ${first.heapMB.http} + ${first.heapMB.workers} → ${last.heapMB.http} + ${last.heapMB.workers} MB (HTTP + workers)` : '';
  const lists = last.onlineListMB !== undefined && first.onlineListMB !== undefined ? `, members' packed lists ${first.onlineListMB} → ${last.onlineListMB} MB` : '';
  const members = (last.onlineMembers ?? NaN) - (first.onlineMembers ?? NaN);
  // a population already held (after the warm-up): its growth is not what RSS goes with
  if (!(members > 0.1 * (first.onlineMembers ?? 0))) return `${heaps}${lists}; members held ${first.onlineMembers} → ${last.onlineMembers}`;
  const kb = Math.round(((last.rssMB - first.rssMB) * 1024) / members * 10) / 10;
  return `${heaps}${lists}, while the members held grew by ${members.toLocaleString('en')}: ${kb} KB each`;
}

/** Writes soak.json and soak.md, carrying the history of earlier runs forward; returns the markdown. */
export function writeSoakResults(result: SoakResult): string {
  mkdirSync(OUT, { recursive: true });
  result.targets = soakTargets(result);
  const jsonFile = new URL('soak.json', OUT);
  const earlier = existsSync(jsonFile) ? ((JSON.parse(readFileSync(jsonFile, 'utf8')) as SoakResult).history ?? []) : [];
  const p99s = result.minutes.map((m) => m.latencyMs.p99);
  result.history = [...earlier, {
    date: result.date, loadAverage: result.loadAverage.before[0], minutes: result.minutes.length, capacity: result.capacity.perSecond, rate: result.rate,
    errors: result.targets.errors.value, p99Min: Math.min(...p99s), p99Max: Math.max(...p99s), rssAfterWarmup: result.rssMB.afterWarmup, rssEnd: result.rssMB.end,
    storeGrowthMB: MB(result.store.growth.logicalBytes), capacityMethod: result.capacity.method,
    ...(machineShare(result) ? { machineShare: machineShare(result) } : {}), ...(result.note ? { note: result.note } : {}),
  }];
  writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
  const md = markdown(result);
  writeFileSync(new URL('soak.md', OUT), md);
  return md;
}

/** The server's and the generator's median CPU shares over the minutes after the first, as text ('' before they were recorded). */
export function machineShare(r: SoakResult): string {
  const settled = r.minutes.slice(1).filter((m) => m.serverCpuShare !== undefined && m.generatorCpuShare !== undefined);
  if (settled.length === 0) return '';
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const others = settled.filter((m) => m.othersCpuShare !== undefined);
  return shares({ serverCpuShare: med(settled.map((m) => m.serverCpuShare!)), generatorCpuShare: med(settled.map((m) => m.generatorCpuShare!)),
    ...(others.length ? { othersCpuShare: med(others.map((m) => m.othersCpuShare!)) } : {}) });
}

/** A warning when other processes took much of the CPU at capacity: then the figure is what they left the server. */
export function neighbourNote(c: SoakCapacity): string {
  const others = c.atCapacity.othersCpuShare;
  return others !== undefined && others > 0.25
    ? ` **Other processes took ${pct(others)} of the CPU at capacity: this capacity is what they left the server, not its capacity on a quiet machine.**` : '';
}

/** The capacity search's paragraph and its steps' table. */
function capacityLines(r: SoakResult): string[] {
  const c = r.capacity;
  const closed = c.closedLoop;
  return [
    `Capacity is measured the way the soak loads (bench/capacity-search.ts): open-loop steps of the same mix, ${c.stepSeconds} s each,`,
    `from half the closed-loop estimate, ×1.2 while steps hold, then bisection to 5%; a step holds when ≥ ${c.minAchievedShare * 100}% of the offered`,
    `rate is answered, all 2xx, with p99 ≤ ${c.p99BoundMs} ms. **Capacity ${c.perSecond} requests/s**${c.converged ? '' : ' (not converged: the steps ran out)'}`
      + `${c.lowestFailed === null ? '' : ` (${c.lowestFailed}/s failed)`}: the ${r.machine.cpus} cores' CPU there: ${shares(c.atCapacity)} (every other process),`
      + ` ${c.atCapacity.cpuMsPerRequest} ms of server CPU a request.${neighbourNote(c)}`,
    ...(closed ? [`The closed-loop estimate (saturation, ${r.setup.connections} connections, ${closed.seconds} s — what capacity was until 2026-12-07): `
      + `${closed.perSecond}/s at ${closed.cpuMsPerRequest} ms of server CPU a request (p99 ${closed.latencyMs.p99} ms).`] : []),
    ...(c.settle ? [`Before the steps the mix ran at ${c.settle.rate}/s in ${c.settle.chunkSeconds} s chunks until the server's CPU per request stopped rising (bench/settle.ts): `
      + `${c.settle.chunks.map((x) => x.cpuMsPerRequest).join(' → ')} ms a request${c.settle.settled ? ' (settled)' : ' — **still rising when the chunks ran out**'}.`] : []),
    `The soak offers ${r.rate}/s open loop (${Math.round((r.rate / c.perSecond) * 100)}% of capacity; each latency timed from when the request was due, ADR 0008), one minute at a time;`
      + ` median CPU shares after the first minute: ${machineShare(r) || 'n/a'}.`,
    '',
    '| step | offered/s | answered/s | p50 / p99 ms | CPU share: server + generator + others | server CPU ms/request | generator loop delay p99 ms | verdict |',
    '|---|---|---|---|---|---|---|---|',
    ...c.steps.map((s, i) => `| ${i + 1} | ${s.rate} | ${s.achievedPerSecond} | ${s.latencyMs.p50} / ${s.latencyMs.p99} | ${pct(s.serverCpuShare)} + ${pct(s.generatorCpuShare)} + ${pct(s.othersCpuShare)} | ${s.cpuMsPerRequest} | ${s.clientLoopDelayP99Ms} | ${s.held ? 'held' : 'failed'}: ${s.why} |`),
  ];
}

/** The per-thread CPU and GC of a step or minute, when recorded. */
function optional(s: { threadCpuMsPerRequest?: Record<string, number>; gc?: IsolateGc[]; pageHitRate?: number | null; rowHitRate?: number | null }): Pick<DiagnosedSpan, 'threadCpuMsPerRequest' | 'gc' | 'pageHitRate' | 'rowHitRate'> {
  return { ...(s.threadCpuMsPerRequest ? { threadCpuMsPerRequest: s.threadCpuMsPerRequest } : {}), ...(s.gc ? { gc: s.gc } : {}), pageHitRate: s.pageHitRate, rowHitRate: s.rowHitRate };
}

const withBlank = (lines: string[]): string[] => (lines.length ? [...lines, ''] : []);

/** The markdown of a result (its history included). */
export function markdown(r: SoakResult): string {
  const t = r.targets ?? soakTargets(r);
  const verdict = (met: boolean | null) => (met === null ? '—' : met ? 'met' : '**not met**');
  const g = r.store.growth;
  const shares = Object.entries(r.setup.shares).map(([k, v]) => `${k} ${Math.round(v * 1000) / 10}%`).join(', ');
  const lines = [
    `# Soak benchmark — ${r.minutes.length} minute(s) of mixed traffic at ${Math.round((r.rate / r.capacity.perSecond) * 100)}% of measured capacity`,
    '',
    `${r.date} · ${r.machine.cpus} cores (${r.machine.cpu ?? '?'}) · ${r.machine.memoryGB} GB · Node ${r.machine.node} ·`,
    `load average before ${r.loadAverage.before.join(' / ')}, after ${r.loadAverage.after.join(' / ')} (the machine is shared).`,
    `Command: \`${r.command}\`${r.note ? `  \nNote: ${r.note}` : ''}`,
    '',
    `World: ${r.world.users.toLocaleString('en')} members × ${r.world.items.toLocaleString('en')} items, ${r.world.days} days (seed ${r.world.seed}; bench:serve's world builder).`,
    `The real server (\`vitrine serve\`, ${r.setup.pageWorkers} page worker thread(s), per-item impression events ${r.setup.itemImpressionEvents ? 'on' : 'off: page records only'})`,
    `runs as a child process. The mix: ${shares}; members drawn from all ${r.world.members.toLocaleString('en')} with Zipf popularity`,
    `(exponent ${r.setup.zipf}), event batches of ${r.setup.eventsPerBatch} (view/heart/rent/return)${r.setup.minBatchIntervalMs ? `, a member at most one batch per ${r.setup.minBatchIntervalMs / 1000} s` : ""}.${r.warmup ? ` A warm-up first asks for one page for every member (${r.warmup.pages.toLocaleString('en')} pages in ${r.warmup.seconds} s), so the soak meets their state held.` : ' No warm-up (--skip-warmup): the soak meets members\' state as it is first built.'}`,
    '',
    ...capacityLines(r),
    '',
    `p99 stable means: ${STABILITY_RULE}.`,
    '',
    '| measure | value | target | |',
    '|---|---|---|---|',
    `| errors (non-2xx + failed requests) | ${t.errors.value} | ${t.errors.target} | ${verdict(t.errors.met)} |`,
    `| p99 per minute, stable | ${t.p99Stable.value} | ${t.p99Stable.target} | ${verdict(t.p99Stable.met)} |`,
    `| p99 per minute, no upward trend | ${t.p99NoTrend.value} | ${t.p99NoTrend.target} | ${verdict(t.p99NoTrend.met)} |`,
    `| server CPU per request per minute, stable (machine-independent) | ${t.cpuStable.value} | ${t.cpuStable.target} | ${verdict(t.cpuStable.met)} |`,
    `| server RSS after the first minute → end, MB | ${r.rssMB.afterWarmup} → ${r.rssMB.end} (${t.rssGrowth.value}; peak ${r.rssMB.peak}) | ${t.rssGrowth.target} | ${verdict(t.rssGrowth.met)} |`,
    `| store growth explained by rows | ${t.storeExplained.value} of +${MB(g.logicalBytes)} MB | ${t.storeExplained.target} | ${verdict(t.storeExplained.met)} |`,
    ...(t.loadInCpu ? [`| the soak's server CPU / at capacity (what "${Math.round(r.loadShare * 100)}%" was) | ${t.loadInCpu.value} | ${t.loadInCpu.target} | ${verdict(t.loadInCpu.met)} |`] : []),
    '',
    '| minute | requests/s | p50 / p90 / p99 ms | max ms | non-2xx | errors | server CPU ms/request | CPU share server + generator + others | generator loop delay p99 ms | RSS MB | heaps MB (HTTP + workers) | members held (packed lists MB) | store MB (+ WAL) | page cache hits | row cache hits | load avg |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...r.minutes.map((m) => `| ${m.minute} | ${m.perSecond} | ${m.latencyMs.p50} / ${m.latencyMs.p90} / ${m.latencyMs.p99} | ${m.latencyMs.max} | ${m.non2xx} | ${m.errors} | ${m.cpuMsPerRequest} | ${m.serverCpuShare === undefined ? '—' : `${pct(m.serverCpuShare)} + ${pct(m.generatorCpuShare ?? NaN)}${m.othersCpuShare === undefined ? '' : ` + ${pct(m.othersCpuShare)}`}`} | ${m.clientLoopDelayP99Ms ?? '—'} | ${m.rssMB} | ${m.heapMB ? `${m.heapMB.http} + ${m.heapMB.workers}` : '—'} | ${m.onlineMembers ?? '—'}${m.onlineListMB === undefined ? '' : ` (${m.onlineListMB})`} | ${m.storeMB.file} (+ ${m.storeMB.wal}) | ${m.pageHitRate ?? '—'} | ${m.rowHitRate ?? '—'} | ${m.loadAverage} |`),
    '',
    'p99 by kind of request, ms:',
    '',
    `| minute | ${KINDS.join(' | ')} |`,
    `|---|${KINDS.map(() => '---').join('|')}|`,
    ...r.minutes.map((m) => `| ${m.minute} | ${KINDS.map((k) => m.p99ByKindMs?.[k] ?? '—').join(' | ')} |`),
    '',
    ...withBlank(diagnosticLines([
      ...r.capacity.steps.map((s, i) => ({ label: `step ${i + 1} (${s.rate}/s)`, perSecond: s.achievedPerSecond, cpuMsPerRequest: s.cpuMsPerRequest, seconds: r.capacity.stepSeconds, ...optional(s) })),
      ...r.minutes.map((m) => ({ label: `minute ${m.minute}`, perSecond: m.perSecond, cpuMsPerRequest: m.cpuMsPerRequest, seconds: 60, ...optional(m) })),
    ])),
    `Requests made during the soak: ${Object.entries(r.made).map(([k, n]) => `${k} ${n.toLocaleString('en')}`).join(', ')}; ${r.eventsSent.toLocaleString('en')} events sent.`,
    Object.keys(r.failures).length ? `Non-2xx answers: ${Object.entries(r.failures).map(([k, n]) => `${k} × ${n}`).join('; ')}.` : 'No non-2xx answer during the soak.',
    '',
    '## Store growth',
    '',
    `The database as readers see it grew by ${MB(g.logicalBytes)} MB (file ${MB(r.store.start.fileBytes)} → ${MB(r.store.end.fileBytes)} MB, WAL ${MB(r.store.start.walBytes)} → ${MB(r.store.end.walBytes)} MB; free pages at the end ${MB(r.store.end.freeBytes)} MB).`,
    'Per table, rows added × bytes per row (the table\'s pages and its indexes\', SQLite dbstat):',
    '',
    '| table | rows added | MB added | bytes per added row |',
    '|---|---|---|---|',
    ...Object.entries(g.tables).map(([name, x]) => `| ${name} | ${x.rows.toLocaleString('en')} | ${MB(x.bytes)} | ${x.bytesPerRow ?? '—'} |`),
    '',
    `Rows explain ${MB(g.explainedBytes)} MB of the ${MB(g.logicalBytes)} MB.`,
    '',
    '## History',
    '',
    '| date | load avg | minutes | capacity/s (how) | offered/s | CPU share in the soak | errors | p99 min–max ms | RSS after warm-up → end MB | store growth MB | note |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...(r.history ?? []).map((h) => `| ${h.date} | ${h.loadAverage} | ${h.minutes} | ${h.capacity} (${h.capacityMethod ?? 'closed loop'}) | ${h.rate} | ${h.machineShare ?? '—'} | ${h.errors} | ${h.p99Min}–${h.p99Max} | ${h.rssAfterWarmup} → ${h.rssEnd} | ${h.storeGrowthMB} | ${h.note ?? ''} |`),
    '',
  ];
  return lines.join('\n');
}
