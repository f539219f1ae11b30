/**
 * The compile step of `npm test` (scripts/test-build.ts), with known answers: what it rewrites so the
 * compiled tree loads without tsx, and what it must leave pointing at the sources.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compiledPath, compileModule } from '../scripts/test-build.ts';

const TSCONFIG = JSON.stringify({ compilerOptions: { target: 'ES2022' } });
// built from parts: this file is compiled by the step it tests, which must not rewrite its strings
const TS = '.ts';
const META_URL = ['import', 'meta', 'url'].join('.');

test('relative .ts and .tsx specifiers become .js; packages, builtins and type-only imports do not', () => {
  const js = compileModule([
    `import { a } from './a${TS}';`,
    `import type { T } from './t${TS}';`,
    `export { b } from '../b/b${TS}x';`,
    "import pg from 'pg';",
    "import { join } from 'node:path';",
    `const c = await import('./c${TS}');`,
    'export const x: T | undefined = undefined;',
    'console.log(a, pg, join, c);',
  ].join('\n'), '/repo/src/x.ts', TSCONFIG);
  assert.match(js, /from "\.\/a\.js"/);
  assert.match(js, /from "\.\.\/b\/b\.js"/);
  assert.match(js, /import\("\.\/c\.js"\)/);
  assert.match(js, /from "pg"/);
  assert.match(js, /from "node:path"/);
  assert.doesNotMatch(js, /t\.ts|\.tsx?"/);
});

test("a worker entry points at its compiled twin; every other import.meta.url is the source file's", () => {
  const js = compileModule([
    `export const worker = new URL('./page-worker${TS}', ${META_URL});`,
    `export const doc = new URL('../docs/errors.md', ${META_URL});`,
    `export const bin = new URL('../bin/vitrine.js', ${META_URL});`,
  ].join('\n'), '/repo/src/y.ts', TSCONFIG);
  assert.match(js, /new URL\("\.\/page-worker\.js", import\.meta\.url\)/);
  assert.match(js, /new URL\("\.\.\/docs\/errors\.md", "file:\/\/\/repo\/src\/y\.ts"\)/);
  assert.match(js, /new URL\("\.\.\/bin\/vitrine\.js", "file:\/\/\/repo\/src\/y\.ts"\)/);
});

test('the compiled tree mirrors the sources, .ts and .tsx as .js', () => {
  assert.equal(compiledPath('/repo', '/repo/.cache/test-js', '/repo/test/a.test.ts'), '/repo/.cache/test-js/test/a.test.js');
  assert.equal(compiledPath('/repo', '/repo/.cache/test-js', '/repo/src/web/console/main.tsx'), '/repo/.cache/test-js/src/web/console/main.js');
});
