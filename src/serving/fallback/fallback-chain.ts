/**
 * The fallback chain (after gorse's RecommendSequential, but never fatal): sources are tried in order,
 * each under its own deadline. The first source that answers ends the chain; when it failed, the
 * fallbacks that answer are merged (de-duplicated) until the row is full. A source that throws, hangs,
 * is late or returns garbage is skipped and recorded; the last step, a static list, cannot fail.
 */
import { isDeadlineExceeded, NEVER_ABORTED, REAL_TIMERS, type Timers, withDeadline } from './deadline.ts';
import { CorruptOutput } from './model-output.ts';

export type FailureCause = 'timeout' | 'error' | 'corrupt' | 'unavailable';

export interface SourceFailure {
  source: string;
  cause: FailureCause;
  message: string;
}

/** Thrown by a source that does not apply (no previous version, no last page); `report` when it is worth saying. */
export class SourceUnavailable extends Error {
  constructor(message: string, readonly report = false) {
    super(message);
    this.name = 'SourceUnavailable';
  }
}

export interface StepOutput<I extends { itemId: string }> {
  items: I[];
}

export interface ChainStep<O> {
  source: string;
  run(signal: AbortSignal): O | Promise<O>;
  /** runs with no deadline because it cannot fail or hang (the static list) */
  infallible?: boolean;
}

export interface ChainOptions {
  /** the time left for the whole chain, ms */
  remainingMs: () => number;
  /** items wanted; fallbacks are merged until there are this many */
  target: number;
  timers?: Timers;
  /** the share of the time left a step may use when other steps come after it */
  stepShare?: number;
  /** aborts every step (the request was abandoned) */
  signal?: AbortSignal;
}

export interface ChainResult<O> {
  /** the first answer (its items replaced by the merged list); undefined when nothing answered */
  output: O | undefined;
  /** sources whose items are in the output, in order */
  used: string[];
  /** sources that failed, in order */
  failures: SourceFailure[];
}

/** Runs `steps` as described in the file comment. */
export async function runFallbackChain<I extends { itemId: string }, O extends StepOutput<I>>(
  steps: ReadonlyArray<ChainStep<O>>,
  opts: ChainOptions,
): Promise<ChainResult<O>> {
  const timers = opts.timers ?? REAL_TIMERS;
  const share = opts.stepShare ?? 0.5;
  const failures: SourceFailure[] = [];
  const used: string[] = [];
  let output: O | undefined;
  const seen = new Set<string>();
  const merged: I[] = [];

  for (let s = 0; s < steps.length; s++) {
    const step = steps[s];
    const isLast = s === steps.length - 1;
    let answer: O;
    try {
      if (step.infallible) answer = await step.run(opts.signal ?? NEVER_ABORTED);
      else {
        const left = opts.remainingMs();
        if (left <= 0) throw new SourceUnavailable('no time left', true);
        // a step declared without the signal gets none made for it (withDeadline: an AbortController costs ~7 µs)
        const task = step.run.length > 0 ? (signal: AbortSignal) => step.run(signal) : () => step.run(NEVER_ABORTED);
        answer = await withDeadline(task, isLast ? left : left * share, { timers, parent: opts.signal });
      }
      if (!answer || !Array.isArray(answer.items)) throw new CorruptOutput(`${step.source} returned no item list`);
    } catch (err) {
      if (err instanceof SourceUnavailable) {
        if (err.report) failures.push({ source: step.source, cause: err.message === 'no time left' ? 'timeout' : 'unavailable', message: err.message });
        continue;
      }
      failures.push({ source: step.source, cause: causeOf(err), message: err instanceof Error ? err.message : String(err) });
      continue;
    }
    output ??= answer;
    let added = 0;
    for (const item of answer.items) {
      if (merged.length >= opts.target) break;
      if (seen.has(item.itemId)) continue;
      seen.add(item.itemId);
      merged.push(item);
      added++;
    }
    if (added > 0 || used.length === 0) used.push(step.source);
    // the first source answering ends the chain (a short row is the truth); fallbacks fill the row up
    if (failures.length === 0 || merged.length >= opts.target) break;
  }
  if (output) output = { ...output, items: merged };
  return { output, used, failures };
}

/** How a failure is reported. */
export function causeOf(err: unknown): FailureCause {
  if (isDeadlineExceeded(err)) return 'timeout';
  if (err instanceof CorruptOutput) return 'corrupt';
  return 'error';
}
