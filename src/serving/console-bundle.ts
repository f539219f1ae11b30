/**
 * The /admin console (src/web/console, Preact + TSX) as one browser ES module, bundled by esbuild on
 * the first request and kept in memory (ADR 0023): nothing generated is committed, `npm start` and
 * `npm test` need no build step, and a server never serves a console older than its own source.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRIES = ['main.tsx', 'console.css'].map((f) => fileURLToPath(new URL(`../web/console/${f}`, import.meta.url)));

export interface ConsoleBundle { js: string; css: string }

let bundle: Promise<ConsoleBundle> | undefined;

async function bundleConsole(): Promise<ConsoleBundle> {
  const result = await build({
    entryPoints: ENTRIES, bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    jsx: 'automatic', jsxImportSource: 'preact', minify: true, outdir: 'console', write: false,
    sourcemap: false, legalComments: 'none', logLevel: 'silent',
  });
  const text = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: text('.js'), css: text('.css') };
}

/** The console's script and stylesheet, built once per process (a failed build is retried on the next call). */
export function consoleBundle(): Promise<ConsoleBundle> {
  bundle ??= bundleConsole().catch((err: unknown) => {
    bundle = undefined;
    throw err;
  });
  return bundle;
}
