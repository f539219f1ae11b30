import { resolve } from 'node:path';
import { VitrineError } from '../core/errors.ts';
import { translateSqliteError } from './sqlite/sqlite-errors.ts';
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
    const file = path === ':memory:' ? path : resolve(path);
    try {
      return new SqliteStore(file, opts.sqlite);
    } catch (err) {
      // a directory, an unreadable or a corrupt file: a typed error naming the file, not a raw SqliteError
      const typed = isSystemError(err) ? new VitrineError('VITRINE_STORE_UNAVAILABLE') : translateSqliteError(err);
      const raw = err instanceof VitrineError && err.cause instanceof Error ? err.cause : err as Error;
      if (typed instanceof VitrineError) throw new VitrineError(typed.code, `cannot open the store ${file}: ${raw.message}`, undefined, { cause: raw });
      throw typed;
    }
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

/** A file-system error (EACCES, ENOTDIR, EROFS…) from creating the store's directory. */
function isSystemError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}
