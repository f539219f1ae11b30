/**
 * A diagnostic of the latency tail (issue 22; bench/serve-tail.ts): how much CPU this thread spent
 * between consecutive marks, and which stretches were long. A stretch of 20+ ms of one thread's CPU
 * between two marks holds up everything queued behind it on any machine; wall time under load does not
 * tell that apart from the OS not running the thread, so the measure is the thread's own CPU clock
 * (Linux /proc/thread-self/schedstat, right to the kernel's tick: see makeThreadCpuClock). On, it costs
 * a page worker two reads of that clock a message (~20 µs). Off unless VITRINE_TASK_TRACE_MS is set (the stretch
 * reported, ms of CPU); a heartbeat every `heartbeatMs` marks between tasks, so that a long stretch
 * outside any marked task (a timer, an I/O callback, a collection) shows as "tick → tick".
 * Each long stretch is one line on stdout: `[task-trace] THREAD cpu=… wall=… from=… to=… gc=…`.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { isMainThread, threadId } from 'node:worker_threads';

export interface TaskTrace {
  /** ends the current stretch at a named point (e.g. "begin page", "reply page") */
  mark(label: string): void;
  stop(): void;
}

const NONE: TaskTrace = { mark: () => undefined, stop: () => undefined };

/** The threshold from the environment, ms of CPU; undefined when the trace is off. */
export function taskTraceThresholdMs(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const ms = Number(env.VITRINE_TASK_TRACE_MS);
  return env.VITRINE_TASK_TRACE_MS !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/**
 * Nanoseconds the calling OS thread has run so far, or NaN where /proc/thread-self is missing. Call it
 * on the thread it measures (the file is opened on the first call, for that thread). The kernel brings
 * the figure up to date at its tick (4 ms at HZ 250) and at each switch, so a stretch is right to a
 * tick: good for finding 20 ms stretches, not for timing a 1 ms page (average many for that).
 * Reading it costs 5–10 µs (a pread of the file kept open).
 */
export function makeThreadCpuClock(): () => number {
  const buf = Buffer.alloc(128);
  let fd: number | undefined;
  return () => {
    try {
      fd ??= openSync('/proc/thread-self/schedstat', 'r');
      const n = readSync(fd, buf, 0, buf.length, 0);
      return Number(buf.toString('latin1', 0, n).split(' ')[0]);
    } catch {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      return NaN;
    }
  };
}

export interface Stretch { cpuMs: number; wallMs: number; from: string; to: string; endedAt: number }

/**
 * Stretches between marks whose CPU reaches `thresholdMs`. `cpuNs` and `now` are injectable (tests);
 * `report` receives each long stretch (default: a line on stdout, with the collections that ended in it).
 */
export function startTaskTrace(thread: string, opts: {
  thresholdMs?: number; heartbeatMs?: number; cpuNs?: () => number; now?: () => number; report?: (s: Stretch) => void;
} = {}): TaskTrace {
  const thresholdMs = opts.thresholdMs ?? taskTraceThresholdMs();
  if (thresholdMs === undefined) return NONE;
  const cpuNs = opts.cpuNs ?? makeThreadCpuClock();
  const now = opts.now ?? (() => performance.now());
  const report = opts.report ?? stdoutReport(thread);
  let lastCpu = cpuNs(), lastAt = now(), lastLabel = 'start';
  const mark = (label: string): void => {
    const cpu = cpuNs(), at = now();
    const cpuMs = (cpu - lastCpu) / 1e6;
    if (cpuMs >= thresholdMs) report({ cpuMs, wallMs: at - lastAt, from: lastLabel, to: label, endedAt: at });
    lastCpu = cpu;
    lastAt = at;
    lastLabel = label;
  };
  const beat = opts.heartbeatMs === 0 ? undefined : setInterval(() => mark('tick'), opts.heartbeatMs ?? 5);
  beat?.unref();
  return { mark, stop: () => clearInterval(beat) };
}

/** Long stretches as stdout lines, each with the collections of this thread that ended within it. */
function stdoutReport(thread: string): (s: Stretch) => void {
  const gcs: Array<{ end: number; ms: number; kind: number }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ end: e.startTime + e.duration, ms: e.duration, kind: (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0 });
    if (gcs.length > 1000) gcs.splice(0, gcs.length - 1000);
  });
  observer.observe({ entryTypes: ['gc'] });
  const waiting: Stretch[] = [];
  const r = (x: number) => Math.round(x * 10) / 10;
  // collections are observed a turn later: lines go out in the next second, with theirs
  const flush = setInterval(() => {
    for (const s of waiting.splice(0)) {
      const mine = gcs.filter((g) => g.end <= s.endedAt + 0.5 && g.end >= s.endedAt - s.wallMs);
      const gc = mine.map((g) => `${g.kind}:${r(g.ms)}`).join(',') || '-';
      process.stdout.write(`[task-trace] ${thread} cpu=${r(s.cpuMs)} wall=${r(s.wallMs)} from="${s.from}" to="${s.to}" gc=${gc}\n`);
    }
  }, 1000);
  flush.unref();
  return (s) => {
    waiting.push(s);
  };
}

const waitThresholdMs = taskTraceThresholdMs();
let waitClock: (() => number) | undefined;

/**
 * Runs `fn` (a synchronous call that may block the thread: a SQLite write waiting for the lock in its
 * busy handler) and, with the trace on, reports it when it took `VITRINE_TASK_TRACE_MS` or more of
 * wall time, with its own CPU beside: a wait shows as wall far above CPU. One line on stdout:
 * `[task-wait] THREAD LABEL wall=… cpu=…`. Without the trace it only calls `fn`.
 */
export function traceBlocking<T>(label: string, fn: () => T): T {
  if (waitThresholdMs === undefined) return fn();
  waitClock ??= makeThreadCpuClock();
  const at = performance.now(), cpu = waitClock(), switches = contextSwitches();
  try {
    return fn();
  } finally {
    const wall = performance.now() - at;
    if (wall >= waitThresholdMs) {
      const r = (x: number) => Math.round(x * 10) / 10;
      const [vol, invol] = contextSwitches().map((n, k) => n - switches[k]);
      // slept (SQLite's busy handler, I/O): voluntary switches; preempted by the OS: involuntary ones
      process.stdout.write(`[task-wait] ${isMainThread ? 'http' : `thread ${threadId}`} ${label} wall=${r(wall)} cpu=${r((waitClock() - cpu) / 1e6)} slept=${vol} preempted=${invol}\n`);
    }
  }
}

/** This thread's voluntary and involuntary context switches so far (Linux; [0, 0] elsewhere). */
function contextSwitches(): [number, number] {
  try {
    const status = readFileSync('/proc/thread-self/status', 'latin1');
    return [Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0), Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0)];
  } catch {
    return [0, 0];
  }
}
