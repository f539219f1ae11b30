/**
 * A progress bar for imports on stderr: bytes read of the file size, rows/s and ETA. On a terminal it
 * redraws one line in place (\r) at most every 100 ms; otherwise (CI, pipes, the demo's log) it writes a
 * plain line every few seconds, so logs are not flooded and a short import prints nothing at all.
 */
import type { ImportProgress } from '../pipeline/import/import-types.ts';

export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressBarOptions {
  /** default process.stderr */
  sink?: ProgressSink;
  /** overrides the sink's isTTY */
  tty?: boolean;
  /** a plain line at most this often when not a terminal (default 5 s) */
  plainEveryMs?: number;
  /** a redraw at most this often on a terminal (default 100 ms) */
  redrawEveryMs?: number;
  /** the clock, ms (tests) */
  now?: () => number;
}

const BAR_WIDTH = 24;

/** Renders ImportProgress on stderr (in place on a terminal, sparse plain lines otherwise). */
export class ProgressBar {
  private readonly sink: ProgressSink;
  private readonly tty: boolean;
  private readonly every: number;
  private readonly now: () => number;
  private lastDraw = -Infinity;
  private drawn = false;
  /** start of the current file and phase: rates and ETAs are measured from there */
  private stageKey = '';
  private stageStart = 0;

  constructor(opts: ProgressBarOptions = {}) {
    this.sink = opts.sink ?? process.stderr;
    this.tty = opts.tty ?? this.sink.isTTY === true;
    this.every = this.tty ? (opts.redrawEveryMs ?? 100) : (opts.plainEveryMs ?? 5000);
    this.now = opts.now ?? (() => performance.now());
  }

  /** Takes the latest progress; draws when it is time to. */
  update(p: ImportProgress): void {
    const t = this.now();
    const key = `${p.file}\u0000${p.phase}`;
    if (key !== this.stageKey) {
      this.stageKey = key;
      this.stageStart = t;
      // a new stage starts its own clock; draw it promptly on a terminal, wait a full interval otherwise
      if (!this.tty) this.lastDraw = t;
    }
    if (t - this.lastDraw < this.every) return;
    this.lastDraw = t;
    const text = formatProgress(p, (t - this.stageStart) / 1000);
    if (this.tty) {
      this.sink.write(`\r\x1b[K${text}`);
      this.drawn = true;
    } else {
      this.sink.write(`${text}\n`);
    }
  }

  /** Clears the bar so that the summary line starts clean. */
  finish(): void {
    if (this.tty && this.drawn) this.sink.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** One progress line, e.g. `events.jsonl [#####-----] 52%  1.9/3.8 MB  100,000 rows  24,310 rows/s  ETA 4 s`. */
export function formatProgress(p: ImportProgress, elapsedSeconds: number): string {
  const writing = p.phase !== 'reading' && p.total !== undefined;
  const done = writing ? (p.done ?? 0) : p.bytesRead;
  const total = writing ? (p.total ?? 0) : p.totalBytes;
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const parts = [writing ? `${p.file} ${p.phase}` : p.file, bar];
  if (writing) {
    parts.push(`${count(done)}/${count(total)}`);
  } else {
    parts.push(`${megabytes(done)}/${megabytes(total)} MB`, `${count(p.rows)} rows`);
    if (elapsedSeconds > 0) parts.push(`${count(Math.round(p.rows / elapsedSeconds))} rows/s`);
  }
  if (fraction > 0 && fraction < 1 && elapsedSeconds > 0) {
    parts.push(`ETA ${duration(elapsedSeconds * (1 - fraction) / fraction)}`);
  }
  return parts.join('  ');
}

const count = (x: number): string => x.toLocaleString('en-US');
const megabytes = (bytes: number): string => (bytes / 1e6).toFixed(1);

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${Math.round(seconds % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
