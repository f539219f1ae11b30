/**
 * What a benchmark reads of the server it runs as a child process: /proc (CPU time, RSS, idleness)
 * and /metrics (cache lookups, gauges).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** The server's cache lookups so far from /metrics (vitrine_page_cache_lookups), by "cache:result". */
export async function cacheLookups(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(new URL('/metrics', baseUrl))).text();
  const out: Record<string, number> = { 'page:hit': 0, 'page:miss': 0, 'row:hit': 0, 'row:miss': 0 };
  for (const m of text.matchAll(/^vitrine_page_cache_lookups\{cache="(\w+)",result="(\w+)"\} (\d+)/gm)) out[`${m[1]}:${m[2]}`] = Number(m[3]);
  return out;
}

/** The share of lookups of `cache` that hit between two cacheLookups readings (null: none). */
export function cacheHitRate(before: Record<string, number>, after: Record<string, number>, cache: 'page' | 'row'): number | null {
  const hits = after[`${cache}:hit`] - before[`${cache}:hit`];
  const all = hits + after[`${cache}:miss`] - before[`${cache}:miss`];
  return all > 0 ? Math.round((hits / all) * 1000) / 1000 : null;
}

/** One unlabelled value of the server's /metrics (a gauge such as vitrine_online_members); NaN when absent. */
export async function metricValue(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', baseUrl))).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

/** The process's CPU time so far (user + system), seconds. */
export async function cpuSeconds(pid: number | undefined): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU time so far (user + system, clock ticks of 1/100 s) of each of the process's threads by thread id,
 * with its name: the server names its threads (src/core/thread-name.ts: page-worker, page-log,
 * wal-checkpoint); the main thread (tid = pid) is reported as "http"; the rest are "node" (V8's
 * collector and compiler helpers, libuv's pool, tsx's loader).
 */
export function threadTicks(pid: number): Map<number, { name: string; ticks: number }> {
  const out = new Map<number, { name: string; ticks: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = Number(tid) === pid ? 'http' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      out.set(Number(tid), { name, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch { /* the thread ended between the listing and the read */ }
  }
  return out;
}

/**
 * CPU time between two threadTicks readings, ms, summed by thread name (page workers together, the
 * "node" helpers together); threads that began between the readings count from 0.
 */
export function threadCpuMs(before: ReturnType<typeof threadTicks>, after: ReturnType<typeof threadTicks>): Record<string, number> {
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [tid, t] of after) out[t.name] = (out[t.name] ?? 0) + (t.ticks - (before.get(tid)?.ticks ?? 0)) * 10;
  return out;
}

/** Seconds until the process uses under 5% of a core over a second (at most 120 s). */
export async function waitIdle(pid: number | undefined): Promise<number> {
  const cpuTicks = async () => {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100 per second)
  };
  const began = performance.now();
  let last = await cpuTicks();
  while (performance.now() - began < 120_000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await cpuTicks();
    if (now - last < 5) break;
    last = now;
  }
  return Math.round((performance.now() - began) / 1000);
}

/** The process's resident memory (or another /proc status field, e.g. VmHWM), MB. */
export async function rssMB(pid: number | undefined, field = 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** The whole machine's CPU time so far from /proc/stat, in clock ticks: busy (not idle, not waiting on I/O) and all. */
export async function machineCpuTicks(): Promise<{ busy: number; total: number }> {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = (await readFile('/proc/stat', 'utf8')).split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + (steal ?? 0);
  return { busy, total: busy + idle + iowait };
}
