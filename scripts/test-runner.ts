/**
 * The runner process of `npm test`: scripts/test.ts starts its compiled twin with plain `node` (a test
 * file's process inherits its runner's flags: under `--import tsx` each would load tsx again).
 * `node --test` sorts the files it is given; node:test's `run()` keeps the order given, so this runner
 * starts the longest first (scripts/test-order.ts) and records how long each took for the next run.
 *
 *   node .cache/test-js/scripts/test-runner.js --concurrency=N [--timings=FILE --timings-fallback=FILE]
 *     [--test-name-pattern=P]... [--test-only] FILE...
 *
 * Prints the spec report. Fails (exit 1) when a test fails, when no test runs, and when a file reports
 * no test of its own: node:test reports such a file as one test named by its path (a file with tests
 * is not reported itself), so a broken glob or a suite that never starts cannot pass vacuously.
 */
import type { Readable } from 'node:stream';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { relative } from 'node:path';
import { longestFirst, readTimings, writeTimings } from './test-order.ts';

interface TestEvent {
  type: string;
  data: { file?: string; name?: string; nesting: number; skip?: unknown; todo?: unknown; details?: { type?: string; duration_ms?: number } };
}

const args = process.argv.slice(2);
const values = (name: string) => args.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));
const files = args.filter((a) => !a.startsWith('-'));
const testNamePatterns = values('test-name-pattern');
const only = args.includes('--test-only');
const known = /^--(concurrency|timings|timings-fallback|test-name-pattern)=/;
const unknown = args.filter((a) => a.startsWith('-') && !known.test(a) && a !== '--test-only');
if (unknown.length > 0) {
  fail(`unknown option ${unknown.join(' ')} (the runner takes --test-name-pattern=P and --test-only)`, 2);
  process.exit();
}
const filtered = testNamePatterns.length > 0 || only;

const [timingsFile] = values('timings');
const timings = timingsFile ? readTimings(timingsFile) : new Map<string, number>();
const fallback = values('timings-fallback').map(readTimings)[0] ?? new Map<string, number>();
// a TestsStream is a Readable (of TestEvent objects); its type says only NodeJS.ReadableStream
const stream = run({
  files: longestFirst(files, timings, fallback), concurrency: Number(values('concurrency')[0] ?? 2),
  ...(testNamePatterns.length > 0 ? { testNamePatterns } : {}), ...(only ? { only } : {}),
}) as unknown as Readable;

let failed = false;
let tests = 0;
const empty: string[] = [];
const tookMs = new Map<string, number>();
function observe({ type, data }: TestEvent): void {
  const { file, name, nesting, skip, todo, details } = data;
  if (type === 'test:complete' && nesting === 0 && file && files.includes(file)) tookMs.set(file, details?.duration_ms ?? 0);
  if (type !== 'test:pass' && type !== 'test:fail') return;
  if (type === 'test:fail' && todo === undefined) failed = true;
  if (nesting === 0 && name === file) {
    if (type === 'test:pass') empty.push(file as string);
    return;
  }
  // a suite counts only when skipped whole (its tests are then not reported one by one)
  if (details?.type !== 'suite' || skip !== undefined) tests++;
}
async function* observed(source: AsyncIterable<TestEvent>): AsyncGenerator<TestEvent> {
  for await (const event of source) {
    observe(event);
    yield event;
  }
}
// the events, counted on their way to the spec reporter (its output is text)
const events = stream.compose(observed) as unknown as Readable;
for await (const chunk of events.compose(new spec())) process.stdout.write(chunk as string);

// a run of some tests only says nothing about how long a whole file takes
if (timingsFile && !filtered) writeTimings(timingsFile, timings, tookMs);
if (failed) process.exitCode = 1;
else if (empty.length > 0 && !filtered) fail(`these files reported no test: ${empty.map((f) => relative(process.cwd(), f)).join(', ')}`);
else if (tests === 0) fail('no test ran');
else console.log(`npm test: ${tests} tests in ${files.length} file${files.length === 1 ? '' : 's'}`);

function fail(message: string, code = 1): void {
  console.error(`npm test: ${message}`);
  process.exitCode = code;
}
