/**
 * The server's garbage collections, read from its `--trace-gc` lines on stdout (one line per GC, for
 * every isolate: the HTTP thread's and each worker's): how long each collection held its thread, so a
 * soak minute whose p99 jumps can be laid beside the pauses in it (issue 20). A pause counts the
 * collection's own time and, for a mark-compact, the incremental marking steps the thread ran since
 * marking began — both are time that thread served nothing. V8's concurrent helpers' time is CPU the
 * per-thread figures already show (bench/server-probes.ts threadTicks), not a pause.
 */

/** One collection as --trace-gc prints it. */
export interface GcEvent {
  /** the isolate's address: one per thread running JavaScript */
  isolate: string;
  kind: 'scavenge' | 'minor' | 'mark-compact';
  /** the heap in use after the collection, MB */
  heapAfterMB: number;
  /** the thread's time in the collection itself, ms */
  pauseMs: number;
  /** incremental marking steps since marking began (mark-compact only), ms */
  stepsMs: number;
}

// [pid:0xADDR]   1468 ms: Mark-Compact 69.0 (98.5) -> 66.2 (100.5) MB, 101.57 / 0.00 ms  (+ 15.9 ms in 39 steps since start of marking, …
const LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: (Scavenge|Minor Mark-Compact|Minor Mark-Sweep|Mark-Compact(?: \(reduce\))?) [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \/ [\d.]+ ms(?:\s+\(\+ ([\d.]+) ms in \d+ steps)?/;

/** The collection a --trace-gc line reports, or undefined for any other line. */
export function parseGcLine(line: string): GcEvent | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const kind = m[2] === 'Scavenge' ? 'scavenge' : m[2].startsWith('Minor') ? 'minor' : 'mark-compact';
  return { isolate: m[1], kind, heapAfterMB: Number(m[3]), pauseMs: Number(m[4]), stepsMs: Number(m[5] ?? 0) };
}

/** What one isolate's collections took over a span. */
export interface IsolateGc {
  isolate: string;
  /** pauses + marking steps, ms */
  totalMs: number;
  /** the longest single collection (its pause + its marking steps), ms */
  maxMs: number;
  scavenges: number;
  markCompacts: number;
  /** the heap in use after its last collection, MB: tells the HTTP thread's heap from a page worker's */
  heapMB: number;
}

/** Collects GC events as they come; `take()` hands over what came since the last take, by isolate. */
export class GcTally {
  private span = new Map<string, IsolateGc>();

  /** Feeds one line of the server's stdout (other lines are ignored). */
  line(text: string): void {
    const e = parseGcLine(text);
    if (!e) return;
    let s = this.span.get(e.isolate);
    if (!s) this.span.set(e.isolate, s = { isolate: e.isolate, totalMs: 0, maxMs: 0, scavenges: 0, markCompacts: 0, heapMB: 0 });
    const ms = e.pauseMs + e.stepsMs;
    s.totalMs += ms;
    s.maxMs = Math.max(s.maxMs, ms);
    if (e.kind === 'mark-compact') s.markCompacts++;
    else s.scavenges++;
    s.heapMB = e.heapAfterMB;
  }

  /** The span since the last take, the isolates with the most GC time first (times rounded to 0.1 ms). */
  take(): IsolateGc[] {
    const out = [...this.span.values()].sort((a, b) => b.totalMs - a.totalMs)
      .map((s) => ({ ...s, totalMs: Math.round(s.totalMs * 10) / 10, maxMs: Math.round(s.maxMs * 10) / 10 }));
    this.span = new Map();
    return out;
  }
}
