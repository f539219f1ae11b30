/**
 * Which test files `npm test` runs in one process. A process costs ~0.1 CPU-s to start, 0.3–0.9 to
 * import what a file tests (the serving graph: ~800 modules) and ~0.5 for its first app (Ajv and
 * fast-json-stringify compiling the routes' schemas), and its code runs cold: 13 api-* files, each in its
 * own process, took 49.3 and 36.6 CPU-s; the same files in one process 25.5 and 20.6
 * (docs/development.md § Fourth pass). So the files are packed into groups of about GROUP_SHARE of the
 * recorded time; a group's process imports its files one after another, each inside a suite named by
 * the file (its top-level hooks then belong to that suite, and its tests run in order, as alone).
 *
 * A file longer than a group is a group of one; a file with no recorded time (a new one) runs alone, so
 * its time gets recorded; a file in RUN_ALONE always runs alone.
 */
import { testName } from './test-order.ts';

/**
 * A group's files add up to at most this share of all the files' recorded time (~16 s of the committed
 * 290 s; groups of ~8 s cost 2.5–10 CPU-s more, docs/development.md § Fourth pass): a share, not a fixed time, as the times a loaded machine records are all longer, and fixed
 * milliseconds would then cut the same files into twice as many groups.
 */
export const GROUP_SHARE = 1 / 18;

/** The most recorded ms a group may hold: GROUP_SHARE of the files' known times. */
export function groupLimit(files: readonly string[], took: (file: string) => number | undefined): number {
  return GROUP_SHARE * files.reduce((sum, f) => sum + (took(f) ?? 0), 0);
}

/**
 * Files that need a process of their own, by name (`x.test.ts`), with why. Empty today: a file that
 * changes process-wide state (env vars, globals, console) restores it before its test ends, and the
 * files of a group run one at a time.
 */
export const RUN_ALONE: ReadonlyMap<string, string> = new Map();

/** One process of the run: the file node:test starts, and the test files it runs. */
export interface RunUnit {
  files: string[];
  /** recorded ms of its files, summed (Infinity when one has none) */
  ms: number;
}

/**
 * `files` as processes, the longest first: first-fit decreasing into groups of at most `groupMs` (0:
 * every file alone; ties by name, so the plan is the same for the same timings). `took` is a file's recorded ms, if any.
 */
export function planUnits(files: readonly string[], took: (file: string) => number | undefined, groupMs: number,
  alone: ReadonlyMap<string, string> = RUN_ALONE): RunUnit[] {
  const byName = (a: string, b: string) => (testName(a) < testName(b) ? -1 : testName(a) > testName(b) ? 1 : 0);
  const units: RunUnit[] = [];
  const packable: Array<[string, number]> = [];
  for (const file of [...files].sort(byName)) {
    const ms = took(file);
    if (ms === undefined || alone.has(testName(file))) units.push({ files: [file], ms: ms ?? Infinity });
    else packable.push([file, ms]);
  }
  const groups: RunUnit[] = [];
  for (const [file, ms] of packable.sort((a, b) => b[1] - a[1] || byName(a[0], b[0]))) {
    const fits = groups.find((g) => g.ms + ms <= groupMs && groupMs > 0);
    if (fits) {
      fits.files.push(file);
      fits.ms += ms;
    } else groups.push({ files: [file], ms });
  }
  return [...units, ...groups].sort((a, b) => b.ms - a.ms || byName(a.files[0], b.files[0]));
}

/** The module a group's process runs: each file imported inside a suite named `x.test.ts`. */
export function groupEntry(files: readonly string[], urlOf: (file: string) => string): string {
  const suites = files.map((f) => `describe(${JSON.stringify(testName(f))}, async () => { await import(${JSON.stringify(urlOf(f))}); });`);
  return ['// written by scripts/test-runner.ts for one run: these test files in one process (scripts/test-groups.ts)',
    "import { describe } from 'node:test';", ...suites, ''].join('\n');
}
