import { resolve } from 'node:path';
import { VitrineError } from '../core/errors.ts';
import { PostgresStore, type PostgresStoreOptions } from './postgres/postgres-store.ts';
import { SqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export interface OpenStoreOptions {
  sqlite?: SqliteStoreOptions;
  postgres?: PostgresStoreOptions;
}

type Opener = (url: URL, raw: string, opts: OpenStoreOptions) => Promise<Store>;

/**
 * Backends by URL scheme, one explicit map (as gorse does): `sqlite:./data/vitrine.db`,
 * `sqlite::memory:`, `postgres://user@host:5432/db` (or `postgresql://`). Redis registers here when it lands.
 */
const OPENERS: Record<string, Opener> = {
  'sqlite:': async (_url, raw, opts) => {
    const path = raw.slice('sqlite:'.length).replace(/^\/\//, '');
    return new SqliteStore(path === ':memory:' ? path : resolve(path), opts.sqlite);
  },
  'postgres:': async (_url, raw, opts) => PostgresStore.open(raw, opts.postgres),
  'postgresql:': async (_url, raw, opts) => PostgresStore.open(raw, opts.postgres),
};

/** Opens the store a URL names, with its migrations applied. */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0].toLowerCase();
  const opener = scheme ? OPENERS[scheme] : undefined;
  if (!opener) {
    throw new VitrineError('VITRINE_STORE_UNKNOWN_SCHEME',
      `unknown store URL "${url}": expected one of ${Object.keys(OPENERS).map((s) => `${s}…`).join(', ')}`);
  }
  return opener(new URL(url.startsWith('sqlite:') ? 'sqlite:x' : url), url, opts);
}
