/**
 * Where the soak's server CPU went, step by step and minute by minute: CPU per request by thread (the
 * HTTP thread, the page workers, the page log's writer, the checkpointer, V8's and libuv's helpers) and,
 * with --trace-gc, the GC pauses per isolate. What explains a capacity step that costs less per request
 * than the soak after it, or one minute's p99 jump (issue 20, RELIABILITY.md).
 */
import type { IsolateGc } from './gc-trace.ts';

/** A span the diagnostics describe: a capacity step or a soak minute. */
export interface DiagnosedSpan {
  label: string;
  perSecond: number;
  cpuMsPerRequest: number;
  threadCpuMsPerRequest?: Record<string, number>;
  gc?: IsolateGc[];
  /** the span's length, s (GC time is given per second of it) */
  seconds: number;
  pageHitRate?: number | null;
  rowHitRate?: number | null;
}

const THREADS = ['http', 'page-worker', 'page-log', 'wal-checkpoint', 'node'];

/** The span's GC, as text: "412 ms (3 mark-compacts, longest 88 ms) · HTTP-size heap 95 MB …" — the two costliest isolates. */
export function gcText(gc: readonly IsolateGc[] | undefined, seconds: number): string {
  if (!gc) return '—';
  if (gc.length === 0) return 'none';
  const total = gc.reduce((n, g) => n + g.totalMs, 0);
  const top = gc.slice(0, 3).map((g) => `${Math.round(g.totalMs)} ms/${g.markCompacts} MC/max ${g.maxMs} (${Math.round(g.heapMB)} MB heap)`);
  return `${Math.round(total / seconds * 10) / 10} ms/s: ${top.join('; ')}`;
}

/** The table's lines (empty when no span recorded threads). */
export function diagnosticLines(spans: readonly DiagnosedSpan[]): string[] {
  if (!spans.some((s) => s.threadCpuMsPerRequest)) return [];
  const other = (t: Record<string, number>) => Object.entries(t).filter(([k]) => !THREADS.includes(k)).reduce((n, [, v]) => n + v, 0);
  const ms = (x: number | undefined) => (x === undefined ? '—' : String(Math.round(x * 1000) / 1000));
  return [
    'Server CPU per request by thread (ms; "node" is V8\'s collector and compiler helpers and libuv\'s pool) and GC time per second of the span',
    '(with --trace-gc: pauses plus incremental marking steps, by isolate — the ~90 MB heap is the HTTP thread, the larger ones the page workers):',
    '',
    `| span | answered/s | page / row cache hits | server CPU ms/request | ${THREADS.join(' | ')} | other | GC (the 3 costliest isolates: total / mark-compacts / longest ms) |`,
    `|---|---|---|---|${THREADS.map(() => '---').join('|')}|---|---|`,
    ...spans.map((s) => {
      const t = s.threadCpuMsPerRequest;
      return `| ${s.label} | ${s.perSecond} | ${s.pageHitRate ?? '—'} / ${s.rowHitRate ?? '—'} | ${s.cpuMsPerRequest} | ${THREADS.map((k) => ms(t?.[k])).join(' | ')} | ${t ? ms(other(t)) : '—'} | ${gcText(s.gc, s.seconds)} |`;
    }),
  ];
}
