/**
 * `npm test`: compiles the sources to plain JavaScript (scripts/test-build.ts), then runs the compiled
 * test files with node:test, each in its own process as before, two at a time, the longest first
 * (scripts/test-runner.ts, scripts/test-order.ts). The run fails when a test fails, when no test file is
 * found or no test runs, and when a file reports no test of its own.
 *
 *   npm test                                  every test/*.test.ts
 *   npm test -- test/api-read.test.ts         some files (paths of the .ts sources)
 *   npm test -- --test-name-pattern=forget    only the tests whose name matches (also --test-only)
 *
 * VITRINE_TEST_CONCURRENCY=<n> runs n files at a time instead of 2.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTestTree, compiledPath } from './test-build.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, '.cache', 'test-js');
// the 2 cores the suite is sized for (docs/development.md § Test time)
const CONCURRENCY = process.env.VITRINE_TEST_CONCURRENCY ?? '2';
// the most recorded ms of test files one process runs (scripts/test-groups.ts); 0: every file alone
const GROUP_MS = process.env.VITRINE_TEST_GROUP_MS;
/** each file's wall time in the last whole run here; the committed one for files it lacks (test-order.ts) */
const TIMINGS = join(ROOT, '.cache', 'test-timings.json');
const RECORDED_TIMINGS = join(ROOT, 'scripts', 'test-timings.json');

const args = process.argv.slice(2);
const options = args.filter((a) => a.startsWith('-'));
const named = args.filter((a) => !a.startsWith('-')).map((f) => resolve(f));
const sources = named.length > 0 ? named
  : readdirSync(join(ROOT, 'test')).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(ROOT, 'test', f));
if (sources.length === 0) {
  console.error('npm test: no test files found in test/');
  process.exit(1);
}

const compiled = buildTestTree(ROOT, OUT);
if (compiled > 0) console.log(`compiled ${compiled} changed source files to ${relative(ROOT, OUT)}/`);

// plain node: the test files' processes inherit the runner's flags, and source maps are all they need
const run = spawnSync(process.execPath, [
  '--enable-source-maps', compiledPath(ROOT, OUT, join(ROOT, 'scripts', 'test-runner.ts')),
  `--concurrency=${CONCURRENCY}`, ...(GROUP_MS ? [`--group-ms=${GROUP_MS}`] : []), `--timings=${TIMINGS}`, `--timings-fallback=${RECORDED_TIMINGS}`,
  ...options, ...sources.map((s) => compiledPath(ROOT, OUT, s)),
], { stdio: 'inherit', cwd: ROOT });
process.exit(run.status ?? 1);
