/** How `npm test` packs its files into processes (scripts/test-groups.ts), with known answers. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GROUP_SHARE, groupEntry, groupLimit, planUnits } from '../scripts/test-groups.ts';
import { testName } from '../scripts/test-order.ts';
import { topLevelAwaitIn } from '../scripts/test-top-level-await.ts';

const path = (name: string) => `/r/.cache/test-js/test/${name}.test.js`;
const names = (units: ReturnType<typeof planUnits>) => units.map((u) => u.files.map((f) => testName(f).replace('.test.ts', '')));

test('first-fit decreasing into groups of at most the limit; a longer file, a new one, one kept alone run by themselves', () => {
  const ms = new Map([['a', 9000], ['b', 5000], ['c', 4000], ['d', 3000], ['e', 1000], ['f', 1000], ['g', 2500]]);
  const files = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'new'].map(path);
  const took = (f: string) => ms.get(testName(f).replace('.test.ts', ''));
  const units = planUnits(files, took, 8000, new Map([['g.test.ts', 'why']]));
  // b+d (8000), c+e+f (6000); a (9000) is longer than a group; new first (no record), g alone
  assert.deepEqual(names(units), [['new'], ['a'], ['b', 'd'], ['c', 'e', 'f'], ['g']]);
  assert.deepEqual(units.map((u) => u.ms), [Infinity, 9000, 8000, 6000, 2500]);
});

test('a limit of 0 runs every file alone, the longest first, ties by name', () => {
  const took = (f: string) => (testName(f) === 'b.test.ts' ? 3000 : 100);
  assert.deepEqual(names(planUnits(['c', 'a', 'b'].map(path), took, 0)), [['b'], ['a'], ['c']]);
  assert.deepEqual(names(planUnits(['c', 'a', 'b'].map(path), () => 0, 8000)), [['a', 'b', 'c']], 'files of 0 ms still pack');
});

test('a group holds a share of the known time: the same groups when a loaded machine recorded every file twice as long', () => {
  const ms = new Map([['a', 6000], ['b', 3000], ['c', 1000]]);
  const files = ['a', 'b', 'c', 'new'].map(path);
  const took = (f: string) => ms.get(testName(f).replace('.test.ts', ''));
  const twice = (f: string) => (took(f) ?? 0) * 2 || undefined;
  assert.equal(groupLimit(files, took), 10_000 * GROUP_SHARE);
  assert.equal(groupLimit(files, twice), 20_000 * GROUP_SHARE);
  const limit = 4000 / (10_000 * GROUP_SHARE);
  assert.deepEqual(names(planUnits(files, took, limit * groupLimit(files, took))), names(planUnits(files, twice, limit * groupLimit(files, twice))));
});

test("a group's entry imports each file inside a suite named by the file, in the plan's order", () => {
  const entry = groupEntry([path('b'), path('a')], (f) => `file://${f}`);
  const suites = entry.split('\n').filter((l) => l.startsWith('describe('));
  assert.deepEqual(suites, [
    'describe("b.test.ts", async () => { await import("file:///r/.cache/test-js/test/b.test.js"); });',
    'describe("a.test.ts", async () => { await import("file:///r/.cache/test-js/test/a.test.js"); });',
  ]);
});

test('finds a top-level await through relative imports; an await inside a function or an async arrow is none', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-test-groups-'));
  try {
    mkdirSync(join(dir, 'helpers'));
    const write = (name: string, code: string) => writeFileSync(join(dir, name), code);
    write('helpers/waits.js', 'const found = await Promise.resolve(true);\nexport const skip = !found;\n');
    write('helpers/plain.js', 'export async function f() {\n  await g();\n}\nexport const h = async () => await f();\n');
    write('helpers/cycle.js', 'import { x } from "./cycle.js";\nexport const y = 1;\n');
    write('direct.test.js', 'import { test } from "node:test";\nawait Promise.resolve();\n');
    write('through.test.js', 'import { a } from "./helpers/plain.js";\nimport {\n  skip\n} from "./helpers/waits.js";\n');
    write('clean.test.js', 'import { f } from "./helpers/plain.js";\nimport "./helpers/cycle.js";\nimport x from "fastify";\n// await in a comment\n');
    assert.equal(topLevelAwaitIn(join(dir, 'direct.test.js')), join(dir, 'direct.test.js'));
    assert.equal(topLevelAwaitIn(join(dir, 'through.test.js')), join(dir, 'helpers/waits.js'));
    assert.equal(topLevelAwaitIn(join(dir, 'clean.test.js')), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
