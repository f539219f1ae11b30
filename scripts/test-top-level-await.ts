/**
 * Whether a compiled test file imports, directly or through its relative imports, a module with a
 * top-level `await` (test/helpers/private-redis.ts: `await run('redis-server', …)`). Such a file must
 * not share a process (scripts/test-groups.ts): its body then runs after an await, outside the async
 * context of the suite that imported it, and node:test files its tests under whichever test that
 * context points at — another file's suite, or none (the tests never run). Seen in Node 20.20.
 *
 * Reads the compiled JavaScript (scripts/test-build.ts): esbuild prints top-level statements at column
 * 0 and everything inside a block indented, so a line at column 0 with `await`, and no `async` before
 * it (`const f = async () => await g()`), is a top-level await. A false alarm only runs a file alone.
 * Packages (`node_modules`) and `vitrine` self-imports are not followed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const STATIC_IMPORT = /^(?:import|export)\b[^;]*?["'](\.{1,2}\/[^"']+)["']/gm;
const AWAIT_AT_TOP = /^(?![\s}/*])(?:(?!\basync\b)[^\n])*\bawait\b/m;

/** The first module found that awaits at its top level among `file` and what it imports; undefined if none. */
export function topLevelAwaitIn(file: string, seen = new Map<string, string | undefined>()): string | undefined {
  if (seen.has(file)) return seen.get(file);
  seen.set(file, undefined); // an import cycle ends here
  if (!existsSync(file)) return undefined;
  const code = readFileSync(file, 'utf8');
  let found = AWAIT_AT_TOP.test(code) ? file : undefined;
  for (const [, specifier] of code.matchAll(STATIC_IMPORT)) {
    if (found) break;
    found = topLevelAwaitIn(resolve(dirname(file), specifier), seen);
  }
  seen.set(file, found);
  return found;
}
