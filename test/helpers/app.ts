/** Builds an in-process app on a fresh SQLite store in a temp dir (tests drive it with inject()). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConfigOverrides, resolveConfig } from '../../src/core/config.ts';
import { buildApp, type VitrineApp } from '../../src/serving/app.ts';
import type { ServingReplica } from '../../src/serving/replica/serving-replica.ts';
import { SqliteStore, type SqliteStoreOptions } from '../../src/storage/sqlite/sqlite-store.ts';
import { UNHURRIED_SERVING } from './unhurried.ts';

export { UNHURRIED_SERVING };

export interface TestApp extends VitrineApp {
  store: SqliteStore;
  dir: string;
  close(): Promise<void>;
}

/**
 * A fresh app + store; `now` fixes the clock; page deadlines UNHURRIED_SERVING unless `config` sets them.
 * `inMemory`: the store is an in-memory SQLite database (no file, no WAL, no checkpoints), for tests
 * where what reaches the disk is not under test (the fuzz suites: a forget's WAL truncation and the
 * commits were ~20% of their CPU).
 */
export async function testApp(opts: { config?: ConfigOverrides; now?: number; sqlite?: SqliteStoreOptions; inMemory?: boolean } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-test-'));
  const store = new SqliteStore(opts.inMemory ? ':memory:' : join(dir, 'vitrine.db'), opts.sqlite);
  const config = resolveConfig({ dataDir: dir, serving: UNHURRIED_SERVING }, opts.config ?? {});
  const now = opts.now;
  const built = await buildApp({ config, store, logger: false, ...(now !== undefined ? { clock: () => now } : {}) });
  return {
    ...built, store, dir,
    async close() {
      await built.app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The HTTP thread's serving replica (online state, catalogue, page engine) of an app without page workers. */
export function localReplica(app: Pick<VitrineApp, 'context'>): ServingReplica {
  const replica = app.context.serving.localReplica();
  if (!replica) throw new Error('this app has no serving replica on its HTTP thread (page workers compose its pages)');
  return replica;
}
