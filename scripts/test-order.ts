/**
 * How long each test file took, which `npm test` packs its files into processes by and starts the
 * longest of those first (scripts/test-groups.ts; longest-processing-time-first: with two slots, the
 * processes that finish last are short ones, and neither slot idles long at the end). A file's time is
 * its wall time in the last whole run on this machine (`.cache/test-timings.json`; in a shared process,
 * its suite's), else the committed scripts/test-timings.json (for a fresh clone and CI: each file's
 * CPU-s alone, measured 2026-12-07, a stand-in for its wall time on two idle cores; the cluster test's
 * is its wall time, as it mostly waits on its paced load); a file in neither (a new one) runs alone,
 * first.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Wall ms by test file name (`api-read.test.ts`), as recorded; an unreadable file is no record. */
export function readTimings(path: string): Map<string, number> {
  if (!existsSync(path)) return new Map();
  try {
    const recorded = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    return new Map(Object.entries(recorded).filter((e): e is [string, number] => typeof e[1] === 'number'));
  } catch {
    return new Map();
  }
}

/** A file's recorded ms: from `timings` (the last run here), else `fallback` (committed); undefined if in neither. */
export function recordedMs(file: string, timings: ReadonlyMap<string, number>, fallback: ReadonlyMap<string, number> = new Map()): number | undefined {
  return timings.get(testName(file)) ?? fallback.get(testName(file));
}

/** The timings with this run's files updated (ms, rounded), written whole (a rename). */
export function writeTimings(path: string, before: ReadonlyMap<string, number>, measured: ReadonlyMap<string, number>): void {
  const merged = new Map(before);
  for (const [file, ms] of measured) merged.set(testName(file), Math.round(ms));
  const sorted = Object.fromEntries([...merged].sort((a, b) => b[1] - a[1]));
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(sorted, null, 2)}\n`);
  renameSync(temporary, path);
}

/** `test/x.test.ts` and its compiled `.cache/test-js/test/x.test.js` are both `x.test.ts`. */
export function testName(file: string): string {
  return basename(file).replace(/\.js$/, '.ts');
}
