/**
 * The runner process of `npm test`: scripts/test.ts starts its compiled twin with plain `node` (a test
 * file's process inherits its runner's flags: under `--import tsx` each would load tsx again).
 * It packs the files into processes (scripts/test-groups.ts: a group's process imports its files one
 * after another, each in a suite named by the file), starts the longest first (`node --test` sorts the
 * files it is given; node:test's `run()` keeps the order given) and records how long each file took
 * for the next run (scripts/test-order.ts). A run filtered by name runs every file in its own process.
 *
 *   node .cache/test-js/scripts/test-runner.js --concurrency=N [--group-ms=MS] [--timings=FILE
 *     --timings-fallback=FILE] [--test-name-pattern=P]... [--test-only] FILE...
 *
 * Prints the spec report. Fails (exit 1) when a test fails, when no test runs, and when a file reports
 * no test of its own: node:test reports such a file as one test named by its path (a file with tests
 * is not reported itself), and a file's suite in a group with no test is not planned, so a broken glob
 * or a suite that never starts cannot pass vacuously.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { pathToFileURL } from 'node:url';
import { groupEntry, groupLimit, planUnits, RUN_ALONE } from './test-groups.ts';
import { readTimings, recordedMs, testName, writeTimings } from './test-order.ts';
import { topLevelAwaitIn } from './test-top-level-await.ts';

interface TestEvent {
  type: string;
  data: { file?: string; name?: string; nesting: number; skip?: unknown; todo?: unknown; details?: { type?: string; duration_ms?: number } };
}

const args = process.argv.slice(2);
const values = (name: string) => args.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));
const files = args.filter((a) => !a.startsWith('-'));
const testNamePatterns = values('test-name-pattern');
const only = args.includes('--test-only');
const known = /^--(concurrency|group-ms|timings|timings-fallback|test-name-pattern)=/;
const unknown = args.filter((a) => a.startsWith('-') && !known.test(a) && a !== '--test-only');
if (unknown.length > 0) {
  fail(`unknown option ${unknown.join(' ')} (the runner takes --test-name-pattern=P and --test-only)`, 2);
  process.exit();
}
const filtered = testNamePatterns.length > 0 || only;

const [timingsFile] = values('timings');
const timings = timingsFile ? readTimings(timingsFile) : new Map<string, number>();
const fallback = values('timings-fallback').map(readTimings)[0] ?? new Map<string, number>();
const took = (file: string) => recordedMs(file, timings, fallback);
const alone = new Map(RUN_ALONE);
const scanned = new Map<string, string | undefined>();
for (const file of filtered ? [] : files) {
  const awaits = topLevelAwaitIn(file, scanned);
  if (awaits) alone.set(testName(file), `imports ${relative(process.cwd(), awaits)}, which awaits at its top level`);
}
// a run of some tests only: each file alone, as node:test filters a file's own tests
const groupMs = filtered ? 0 : Number(values('group-ms')[0] ?? groupLimit(files, took));
const units = planUnits(files, took, groupMs, alone);
// a group's entry module, written for this run only, by the files it runs
const groupsDir = units.some((u) => u.files.length > 1) ? mkdtempSync(join(tmpdir(), 'vitrine-test-groups-')) : undefined;
const grouped = new Map<string, string[]>();
const entries = units.map((unit, i) => {
  if (unit.files.length === 1) return unit.files[0];
  const entry = join(groupsDir as string, `group-${i + 1}.test.js`);
  writeFileSync(entry, groupEntry(unit.files, (f) => pathToFileURL(f).href));
  grouped.set(entry, unit.files);
  return entry;
});
// a TestsStream is a Readable (of TestEvent objects); its type says only NodeJS.ReadableStream
const stream = run({
  files: entries, concurrency: Number(values('concurrency')[0] ?? 2),
  ...(testNamePatterns.length > 0 ? { testNamePatterns } : {}), ...(only ? { only } : {}),
}) as unknown as Readable;

let failed = false;
let tests = 0;
const empty: string[] = [];
const tookMs = new Map<string, number>();
// a group's file suites by group entry, and the entries whose current suite planned a test
const suiteFiles = new Map([...grouped].map(([entry, members]) => [entry, new Map(members.map((f) => [testName(f), f]))]));
const planned = new Set<string>();
function observe({ type, data }: TestEvent): void {
  const { file, name, nesting, skip, todo, details } = data;
  const suiteFile = file && nesting === 0 && name ? suiteFiles.get(file)?.get(name) : undefined;
  if (type === 'test:complete' && nesting === 0 && file && files.includes(file)) tookMs.set(file, details?.duration_ms ?? 0);
  if (type === 'test:complete' && suiteFile) tookMs.set(suiteFile, details?.duration_ms ?? 0);
  // a file's suite in a group is planned (node:test's plan of its tests) before it passes, unless it has none
  if (type === 'test:plan' && nesting === 1 && file && suiteFiles.has(file)) planned.add(file);
  if (type !== 'test:pass' && type !== 'test:fail') return;
  if (type === 'test:fail' && todo === undefined) failed = true;
  if (suiteFile) {
    if (type === 'test:pass' && !planned.has(file as string)) empty.push(suiteFile);
    planned.delete(file as string);
    return;
  }
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
try {
  for await (const chunk of events.compose(new spec())) process.stdout.write(chunk as string);
} finally {
  if (groupsDir) rmSync(groupsDir, { recursive: true, force: true });
}

// a run of some tests only says nothing about how long a whole file takes
if (timingsFile && !filtered) writeTimings(timingsFile, timings, tookMs);
if (failed) process.exitCode = 1;
else if (empty.length > 0 && !filtered) fail(`these files reported no test: ${empty.map((f) => relative(process.cwd(), f)).join(', ')}`);
else if (tests === 0) fail('no test ran');
else console.log(`npm test: ${tests} tests in ${files.length} file${files.length === 1 ? '' : 's'}, ${units.length} process${units.length === 1 ? '' : 'es'}`);

function fail(message: string, code = 1): void {
  console.error(`npm test: ${message}`);
  process.exitCode = code;
}
