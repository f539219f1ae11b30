import type Database from 'better-sqlite3';
import { VitrineError } from '../../core/errors.ts';

/**
 * Versioned schema migrations, applied in order inside one transaction each. Append new ones; never
 * edit a migration that has shipped (a store written by it would no longer match).
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  // 1: catalogue, members, event log, model registry, impressions
  `
  CREATE TABLE items (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    brand TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    attributes TEXT NOT NULL DEFAULT '{}',
    price REAL,
    image_url TEXT,
    embedding BLOB,
    sizes TEXT NOT NULL DEFAULT '{}',
    available_from INTEGER,
    retired INTEGER NOT NULL DEFAULT 0,
    placeholder INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    sizes TEXT NOT NULL DEFAULT '[]',
    attributes TEXT NOT NULL DEFAULT '{}',
    preferences TEXT NOT NULL DEFAULT '{}',
    upcoming TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    user_id TEXT NOT NULL,
    item_id TEXT,
    ts INTEGER NOT NULL,
    size TEXT,
    fit TEXT,
    rating REAL,
    value REAL,
    occasion TEXT,
    page_id TEXT,
    row_id TEXT,
    position INTEGER,
    variant TEXT,
    model_version TEXT
  );
  CREATE INDEX events_by_user ON events (user_id, ts);
  CREATE INDEX events_by_page ON events (page_id) WHERE page_id IS NOT NULL;
  CREATE TABLE models (
    version TEXT PRIMARY KEY,
    algorithm TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    data_from INTEGER,
    data_to INTEGER,
    metrics TEXT NOT NULL DEFAULT '{}',
    artifact_path TEXT,
    params TEXT,
    note TEXT
  );
  CREATE TABLE impressions (
    page_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    ts INTEGER NOT NULL,
    variant TEXT,
    model_version TEXT,
    rows TEXT NOT NULL
  );
  CREATE INDEX impressions_by_user ON impressions (user_id, ts);
  `,
  // 2: merchandising (carousels, page templates), experiments, and indexes for experiment reports
  `
  CREATE TABLE carousels (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    item_ids TEXT NOT NULL,
    personalize INTEGER NOT NULL,
    active_from INTEGER,
    active_to INTEGER,
    audience TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE page_templates (
    name TEXT PRIMARY KEY,
    rows TEXT NOT NULL,
    max_rows INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE experiments (
    id TEXT PRIMARY KEY,
    variants TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX impressions_by_variant ON impressions (variant) WHERE variant IS NOT NULL;
  -- only events naming no page are attributed by their own variant; server-logged impressions stay out
  CREATE INDEX events_by_variant ON events (variant) WHERE variant IS NOT NULL AND page_id IS NULL;
  `,
  // 3: compact page records (page-record-codec.ts): rows as term numbers in \`packed\` (older records keep
  // their JSON \`rows\`; new ones store ''), the page's item count for experiment exposure, and an index
  // on ts for the retention's oldest-first deletes (page-record-retention.ts)
  `
  CREATE TABLE page_terms (
    ix INTEGER PRIMARY KEY,
    term TEXT NOT NULL UNIQUE
  );
  ALTER TABLE impressions ADD COLUMN packed BLOB;
  ALTER TABLE impressions ADD COLUMN item_count INTEGER;
  CREATE INDEX impressions_by_ts ON impressions (ts);
  `,
];

/** Brings the schema to the latest version; refuses a store written by a newer Vitrine. */
export function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null };
  const current = row.v ?? 0;
  if (current > SQLITE_MIGRATIONS.length) {
    throw new VitrineError('VITRINE_STORE_SCHEMA_TOO_NEW',
      `store schema version ${current} is newer than this build knows (${SQLITE_MIGRATIONS.length})`);
  }
  for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
    try {
      db.transaction(() => {
        db.exec(SQLITE_MIGRATIONS[v]);
        db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1);
      })();
    } catch (err) {
      throw new VitrineError('VITRINE_STORE_MIGRATION_FAILED', `migration ${v + 1} failed: ${(err as Error).message}`,
        undefined, { cause: err });
    }
  }
}
