/**
 * `npm test`: compiles the sources to plain JavaScript (scripts/test-build.ts), then runs node:test
 * over the compiled test files, each in its own process as before, two at a time. The run fails when
 * a test fails, when no test file is found or no test runs, and when a file reports no test of its own.
 *
 *   npm test                                  every test/*.test.ts
 *   npm test -- test/api-read.test.ts         some files (paths of the .ts sources)
 *   npm test -- --test-name-pattern=forget    other arguments go to `node --test`
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTestTree, compiledPath } from './test-build.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, '.cache', 'test-js');
const CONCURRENCY = '2'; // the 2 cores the suite is sized for (docs/development.md § Test time)

const args = process.argv.slice(2);
const options = args.filter((a) => a.startsWith('-'));
const named = args.filter((a) => !a.startsWith('-')).map((f) => resolve(f));
const sources = named.length > 0 ? named
  : readdirSync(join(ROOT, 'test')).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(ROOT, 'test', f));
if (sources.length === 0) fail('no test files found in test/');

const compiled = buildTestTree(ROOT, OUT);
if (compiled > 0) console.log(`compiled ${compiled} changed source files to ${relative(ROOT, OUT)}/`);

const tallyDir = mkdtempSync(join(tmpdir(), 'vitrine-test-'));
const tallyFile = join(tallyDir, 'tally.json');
const run = spawnSync(process.execPath, [
  '--enable-source-maps', '--test', `--test-concurrency=${CONCURRENCY}`,
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  `--test-reporter=${fileURLToPath(new URL('./test-tally-reporter.js', import.meta.url))}`,
  `--test-reporter-destination=${tallyFile}`,
  ...options, ...sources.map((s) => compiledPath(ROOT, OUT, s)),
], { stdio: 'inherit', cwd: ROOT });

const tally = readTally(tallyFile);
rmSync(tallyDir, { recursive: true, force: true });
if (run.status !== 0) process.exit(run.status ?? 1);
if (!tally) fail('the test runner reported nothing');
const filtered = options.some((o) => o.startsWith('--test-name-pattern') || o === '--test-only');
if (tally.empty.length > 0 && !filtered) {
  fail(`these files reported no test: ${tally.empty.map((f) => relative(OUT, f)).join(', ')}`);
}
if (tally.tests === 0) fail('no test ran');
console.log(`npm test: ${tally.tests} tests in ${sources.length} file${sources.length === 1 ? '' : 's'}`);

interface Tally { tests: number; empty: string[] }

function readTally(file: string): Tally | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Tally;
  } catch {
    return undefined; // the runner died before reporting: its exit status says so, or the check above
  }
}

function fail(message: string): never {
  console.error(`npm test: ${message}`);
  process.exit(1);
}
