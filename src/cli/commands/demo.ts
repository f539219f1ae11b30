/**
 * `vitrine demo` (what `npm start` runs): a synthetic fashion world generated, imported into an
 * embedded store, models trained, and the API + console served on localhost. No servers, no downloads.
 * A second start reuses the store it made (delete the data dir, or pass --fresh, to start over).
 */
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DAY_MS } from '../../core/time.ts';
import { loadConfig } from '../../core/config.ts';
import { describeSummary, importWorld } from '../../pipeline/import/index.ts';
import { assertSafeBind } from '../../serving/auth.ts';
import { writeWorld } from '../../sim/world/write-world.ts';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import { ProgressBar } from '../progress.ts';
import { serveApp } from '../serve-app.ts';
import { trainDemoModels } from './demo-train.ts';

export const DEMO_HELP = `vitrine demo [--data DIR] [--port 8080] [--host 127.0.0.1] [--members N] [--items M] [--days D] [--seed S] [--fresh]

Generates a synthetic fashion-rental world (default 3,000 members, 800 items, 120 days ending today),
imports it into an embedded SQLite store in DIR (default ./data/demo), trains the models, and serves the
API and console on http://HOST:PORT until interrupted. Re-running reuses DIR's store; --fresh rebuilds it.`;

/** Runs the demo; resolves when the server has shut down after SIGINT/SIGTERM. */
export async function runDemo(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, members: { type: 'string' },
      items: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, fresh: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(DEMO_HELP);
    return 0;
  }
  const dataDir = resolve(values.data ?? process.env.VITRINE_DATA_DIR ?? './data/demo');
  if (values.fresh) rmSync(dataDir, { recursive: true, force: true });
  const config = loadConfig({
    dataDir,
    store: { url: `sqlite:${join(dataDir, 'vitrine.db')}` },
    server: { ...(values.port ? { port: Number(values.port) } : {}), ...(values.host ? { host: values.host } : {}) },
  });
  // an unsafe bind is refused before a world is generated and a store opened
  assertSafeBind(config);
  const store = new SqliteStore(join(dataDir, 'vitrine.db'), { backgroundCheckpoint: true, backgroundImpressionLog: true });
  const log = (line: string) => console.error(`[demo] ${line}`);

  if ((await store.countEvents()) === 0) {
    const days = Number(values.days ?? 120);
    const worldDir = join(dataDir, 'world');
    const startMs = Math.floor((Date.now() - days * DAY_MS) / DAY_MS) * DAY_MS;
    log(`generating a fashion world in ${worldDir} …`);
    const meta = await writeWorld({
      users: Number(values.members ?? 3000), items: Number(values.items ?? 800), days,
      seed: Number(values.seed ?? 42), start: startMs,
    }, worldDir);
    log(`generated ${meta.counts.items} items, ${meta.counts.users} members, ${meta.counts.events} events`);
    const bar = new ProgressBar();
    const summary = await importWorld(store, worldDir, { onProgress: (p) => bar.update(p) });
    bar.finish();
    log(describeSummary(summary));
  } else if (!existsSync(join(dataDir, 'models'))) {
    log('reusing the existing store');
  }
  await trainDemoModels(store, dataDir, log);

  const app = await serveApp(config, store);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  log(`ready: console http://${config.server.host}:${port}/admin  ·  storefront preview http://${config.server.host}:${port}/  ·  API docs http://${config.server.host}:${port}/docs`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await app.close();
  await store.close();
  return 0;
}
