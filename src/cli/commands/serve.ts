/** `vitrine serve`: the API (and UI) on an embedded or networked store. */
import { parseArgs } from 'node:util';
import { type ConfigOverrides, loadConfig } from '../../core/config.ts';
import { startTaskTrace } from '../../core/task-trace.ts';
import { openStore } from '../../storage/open-store.ts';
import { PageRecordRetention } from '../../storage/page-record-retention.ts';
import { assertSafeBind } from '../../serving/auth.ts';
import { applyServingV8Flags } from '../../serving/v8-flags.ts';
import { exitOnError } from '../exit.ts';
import { serveApp } from '../serve-app.ts';

export const SERVE_HELP = `vitrine serve [--data DIR] [--port 8080] [--host 127.0.0.1] [--store URL] [--state URL] [--config FILE] [--page-workers N]

Serves the HTTP API (and the UI) until interrupted.
  --data DIR     data directory: the embedded store and model files (env VITRINE_DATA_DIR, default ./data)
  --port N       port to listen on (env VITRINE_PORT, default 8080; 0 = any free port)
  --host H       address to bind (env VITRINE_HOST, default 127.0.0.1). Without API keys only a
                 loopback address is allowed.
  --store URL    store URL, e.g. sqlite:./data/vitrine.db or postgres://user@host/db (env VITRINE_STORE;
                 default sqlite:<data>/vitrine.db)
  --state URL    online member state: memory (default, in this process), redis://host:6379 or
                 redis+cluster://h1:p1,h2:p2,… shared by every node (env VITRINE_STATE; ADR 0022)
  --config FILE  a vitrine.toml (env VITRINE_CONFIG; ./vitrine.toml is read when present)
  --page-workers N  threads composing pages, members partitioned among them (env VITRINE_PAGE_WORKERS,
                 serving.pageWorkers, default 0 = on the HTTP thread); 2 on a 2-core server (ADR 0010)
API keys: VITRINE_API_KEYS="<key>:read,write;<key2>:admin" or [auth] keys in vitrine.toml.`;

/** Parses serve's flags into config overrides. */
export function serveFlags(argv: string[]): { overrides: ConfigOverrides; help: boolean; config?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, store: { type: 'string' }, state: { type: 'string' },
      config: { type: 'string' }, 'page-workers': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const overrides: ConfigOverrides = {};
  if (values.data) overrides.dataDir = values.data;
  if (values.port !== undefined || values.host) {
    overrides.server = {};
    if (values.port !== undefined) overrides.server.port = Number(values.port);
    if (values.host) overrides.server.host = values.host;
  }
  if (values.store) overrides.store = { url: values.store };
  if (values.state) overrides.state = { url: values.state };
  if (values['page-workers'] !== undefined) overrides.serving = { pageWorkers: Number(values['page-workers']) };
  return { overrides, help: values.help ?? false, config: values.config };
}

/** Runs the server; resolves when it has shut down after SIGINT/SIGTERM. */
export async function runServe(argv: string[]): Promise<number> {
  return exitOnError(async () => {
    const flags = serveFlags(argv);
    if (flags.help) {
      console.log(SERVE_HELP);
      return 0;
    }
    const env = flags.config ? { ...process.env, VITRINE_CONFIG: flags.config } : process.env;
    // a data dir given as a flag also moves the default store, even when VITRINE_STORE is unset
    const config = loadConfig(flags.overrides, env);
    // before anything is opened: a refused bind has nothing to close and exits at once
    assertSafeBind(config);
    applyServingV8Flags(config.serving);
    const store = await openStore(config.store.url, {
      sqlite: {
        synchronous: config.store.synchronous, busyTimeoutMs: config.store.busyTimeoutMs, maxSizeBytes: config.store.maxSizeBytes || undefined,
        // a server logs every page: checkpoints and page-record commits off the event loop
        // (wal-checkpointer.ts, impression-log-writer.ts)
        backgroundCheckpoint: true, backgroundImpressionLog: true,
      },
      postgres: { poolSize: config.store.poolSize, lockTimeoutMs: config.store.busyTimeoutMs, maxSizeBytes: config.store.maxSizeBytes || undefined },
    });
    const app = await serveApp(config, store);
    // page records age out in bounded batches on a timer of their own (ADR 0018)
    const retention = config.store.pageRecordRetentionDays > 0
      ? new PageRecordRetention({
        store, days: config.store.pageRecordRetentionDays,
        onError: (err) => app.log.warn({ err }, 'page-record retention pass failed; the next pass tries again'),
      })
      : undefined;
    retention?.start();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.server.port;
    // off unless VITRINE_TASK_TRACE_MS is set: the HTTP thread's long stretches of CPU (core/task-trace.ts)
    const trace = startTaskTrace('http');
    app.log.info({ store: config.store.url }, `vitrine listening on http://${config.server.host}:${port} (docs at /docs)`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    trace.stop();
    await retention?.stop();
    await app.close();
    await store.close();
    return 0;
  });
}

