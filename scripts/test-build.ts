/**
 * Compiles src/, test/, bench/ and scripts/ to plain JavaScript for `npm test` (scripts/test.ts). Under Node 20
 * tsx's loader hooks run on their own thread and every module resolve and load is a message to it:
 * importing the serving graph cost each test process ~1.6 CPU-s that way, and every page worker paid
 * it again. Plain JavaScript loads without any hook (docs/development.md § Test time).
 *
 * The compiled tree mirrors the sources under `.cache/test-js/`; what must keep working there:
 * - relative `.ts`/`.tsx` import specifiers are rewritten to `.js`;
 * - `new URL('./x.ts', import.meta.url)` (worker entries) points at the compiled `x.js`;
 * - every other `import.meta.url` is the source file's own URL, so fixtures, docs, the console's
 *   sources and `bin/vitrine.js` are found where they are in the repository;
 * - `vitrine` and `vitrine/client` (self-imports) resolve through a package.json of the tree;
 * - inline source maps (`--enable-source-maps`) put the `.ts` file and line in every stack trace.
 * Only files whose source changed since the last build are compiled again; a change to this script,
 * tsconfig.json, package.json, Node or esbuild compiles every file again. Files are replaced whole,
 * never deleted first, so a run already going in the same tree keeps finding them.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync, version as esbuildVersion } from 'esbuild';

export const SOURCE_DIRS = ['src', 'test', 'bench', 'scripts'];
// stands for the compiled file's own import.meta.url (built from parts: this file is compiled too)
const MIRROR_URL = ['__vitrine', 'CompiledUrl__'].join('');

/** The compiled twin of a source path (`test/x.test.ts` → `<out>/test/x.test.js`). */
export function compiledPath(root: string, out: string, source: string): string {
  return join(out, relative(root, source)).replace(/\.tsx?$/, '.js');
}

/** One TypeScript module as the JavaScript the plain runtime loads from the mirror. */
export function compileModule(code: string, sourceFile: string, tsconfigRaw: string): string {
  // worker entries: the compiled twin, next to the compiled caller
  const pinned = code.replace(/new URL\((['"])(\.{1,2}\/[^'"`]+)\.tsx?\1,\s*import\.meta\.url\)/g,
    (_m, q: string, path: string) => `new URL(${q}${path}.js${q}, ${MIRROR_URL})`);
  const { code: js } = transformSync(pinned, {
    // the project's compiler options, as tsx reads them (class fields, JSX)
    loader: sourceFile.endsWith('.tsx') ? 'tsx' : 'ts', format: 'esm', target: 'node20', platform: 'node', tsconfigRaw,
    sourcemap: 'inline', sourcefile: sourceFile,
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(sourceFile).href) }, logLevel: 'silent',
  });
  // esbuild prints every import specifier in double quotes; a string that mentions one keeps its own
  return js
    .replace(/(\b(?:from|import)\s*\(?\s*)"(\.{1,2}\/[^"\n]*?)\.tsx?"/g, '$1"$2.js"')
    .replaceAll(MIRROR_URL, 'import.meta.url');
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(tsx?|m?js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** Brings `out` up to date with the sources under `root`; returns how many files were (re)compiled. */
export function buildTestTree(root: string, out: string): number {
  // what every compiled file depends on besides its source: a change to any compiles them all again
  const tsconfigRaw = readFileSync(join(root, 'tsconfig.json'), 'utf8');
  const pkgText = readFileSync(join(root, 'package.json'), 'utf8');
  const stamp = createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).update(tsconfigRaw).update(pkgText)
    .update(process.version).update(esbuildVersion).digest('hex');
  const stampFile = join(out, '.stamp');
  const afresh = !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp;
  const manifest = join(out, 'package.json');
  if (afresh) {
    mkdirSync(out, { recursive: true });
    const pkg = JSON.parse(pkgText) as { name: string; exports: Record<string, string> };
    const exports = Object.fromEntries(Object.entries(pkg.exports).map(([k, v]) => [k, v.replace(/\.tsx?$/, '.js')]));
    replaceFile(manifest, JSON.stringify({ name: pkg.name, type: 'module', private: true, exports }, null, 2));
  }
  let compiled = 0;
  const wanted = new Set<string>([manifest]);
  for (const dir of SOURCE_DIRS) {
    for (const source of sourceFiles(join(root, dir))) {
      const target = compiledPath(root, out, source);
      wanted.add(target);
      if (!afresh && existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs) continue;
      mkdirSync(dirname(target), { recursive: true });
      const text = readFileSync(source, 'utf8');
      replaceFile(target, /\.tsx?$/.test(source) ? compileModule(text, source, tsconfigRaw) : text);
      compiled++;
    }
  }
  removeStale(out, wanted);
  if (afresh) writeFileSync(stampFile, stamp);
  return compiled;
}

/** Writes `path` whole or not at all (a rename), so a test process of another run never reads half a file. */
function replaceFile(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** Deletes compiled files whose source is gone, so a removed test cannot keep running. */
function removeStale(out: string, wanted: Set<string>): void {
  for (const dir of SOURCE_DIRS) {
    if (!existsSync(join(out, dir))) continue;
    for (const file of sourceFiles(join(out, dir))) if (!wanted.has(file)) rmSync(file);
  }
}
