/**
 * The typed client (src/client) as one browser ES module, for the console. Built with esbuild on the
 * first request and kept in memory: no build step, no generated file to keep in sync with the source.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('../client/index.ts', import.meta.url));

let bundle: Promise<string> | undefined;

/** Bundles src/client for browsers: type-only imports erase; a `node:` import would fail the build. */
async function bundleClient(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    write: false, sourcemap: false, legalComments: 'none', logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** The client module's source, built once per process (a failed build is retried on the next call). */
export function clientBundle(): Promise<string> {
  bundle ??= bundleClient().catch((err: unknown) => {
    bundle = undefined;
    throw err;
  });
  return bundle;
}
