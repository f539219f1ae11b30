import type pg from 'pg';
import { VitrineError } from '../../core/errors.ts';
import { translatePgError } from './pg-errors.ts';

/**
 * Versioned schema migrations, as SQLite's (sqlite/migrations.ts), applied in one transaction under
 * an advisory lock so that nodes opening the same database at once never race. Append new ones;
 * never edit a migration that has shipped. JSON fields are `text` (written and read as the SQLite
 * store does them); epoch-ms times are `bigint`. Ids are `COLLATE "C"`: byte order, as SQLite sorts them
 * (listings and keyset paging agree across stores), and cheaper to compare than a locale's order.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: catalogue, members, event log, model registry, impressions, merchandising, experiments
  `
  CREATE TABLE items (
    id text COLLATE "C" PRIMARY KEY,
    title text NOT NULL,
    category text NOT NULL,
    brand text,
    tags text NOT NULL DEFAULT '[]',
    attributes text NOT NULL DEFAULT '{}',
    price double precision,
    image_url text,
    embedding bytea,
    sizes text NOT NULL DEFAULT '{}',
    available_from bigint,
    retired boolean NOT NULL DEFAULT false,
    placeholder boolean NOT NULL DEFAULT false,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE TABLE users (
    id text COLLATE "C" PRIMARY KEY,
    sizes text NOT NULL DEFAULT '[]',
    attributes text NOT NULL DEFAULT '{}',
    preferences text NOT NULL DEFAULT '{}',
    upcoming text NOT NULL DEFAULT '[]',
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  -- unpartitioned on purpose: a unique id on a partitioned table would have to include the partition key
  CREATE TABLE events (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text COLLATE "C" NOT NULL UNIQUE,
    type text NOT NULL,
    user_id text COLLATE "C" NOT NULL,
    item_id text COLLATE "C",
    ts bigint NOT NULL,
    size text,
    fit text,
    rating double precision,
    value double precision,
    occasion text,
    page_id text COLLATE "C",
    row_id text,
    position integer,
    variant text,
    model_version text
  );
  CREATE INDEX events_by_user ON events (user_id, ts);
  CREATE INDEX events_by_page ON events (page_id) WHERE page_id IS NOT NULL;
  CREATE INDEX events_by_variant ON events (variant) WHERE variant IS NOT NULL AND page_id IS NULL;
  CREATE TABLE models (
    version text COLLATE "C" PRIMARY KEY,
    algorithm text NOT NULL,
    status text NOT NULL,
    created_at bigint NOT NULL,
    data_from bigint,
    data_to bigint,
    metrics text NOT NULL DEFAULT '{}',
    artifact_path text,
    params text,
    note text
  );
  CREATE TABLE impressions (
    page_id text COLLATE "C" PRIMARY KEY,
    user_id text COLLATE "C" NOT NULL,
    ts bigint NOT NULL,
    variant text,
    model_version text,
    rows text NOT NULL
  );
  CREATE INDEX impressions_by_user ON impressions (user_id, ts);
  CREATE INDEX impressions_by_variant ON impressions (variant) WHERE variant IS NOT NULL;
  CREATE TABLE carousels (
    id text COLLATE "C" PRIMARY KEY,
    title text NOT NULL,
    item_ids text NOT NULL,
    personalize boolean NOT NULL,
    active_from bigint,
    active_to bigint,
    audience text,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE TABLE page_templates (
    name text COLLATE "C" PRIMARY KEY,
    rows text NOT NULL,
    max_rows integer,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE TABLE experiments (
    id text COLLATE "C" PRIMARY KEY,
    variants text NOT NULL,
    status text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  `,
  // 2: model artifact bytes, and what nodes follow to see each other's writes (ADR 0024). change_xid is
  // the writing transaction: a follower re-reads from the oldest transaction still running when it
  // last looked, so a write that commits late is never skipped (a sequence would be, numbered early).
  `
  CREATE TABLE model_artifacts (
    version text COLLATE "C" NOT NULL,
    file text COLLATE "C" NOT NULL,
    chunk integer NOT NULL,
    bytes bytea NOT NULL,
    PRIMARY KEY (version, file, chunk)
  );
  ALTER TABLE items ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
  ALTER TABLE models ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
  CREATE INDEX items_by_change ON items (change_xid);
  CREATE INDEX models_by_change ON models (change_xid);
  CREATE FUNCTION vitrine_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN NEW.change_xid := pg_current_xact_id(); RETURN NEW; END $$;
  CREATE TRIGGER items_stamp BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION vitrine_stamp_change();
  CREATE TRIGGER models_stamp BEFORE UPDATE ON models FOR EACH ROW EXECUTE FUNCTION vitrine_stamp_change();
  -- one NOTIFY per statement that wrote a catalogued item (placeholders from event batches do not wake nodes)
  CREATE FUNCTION vitrine_notify_catalogue() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM changed WHERE NOT placeholder) THEN PERFORM pg_notify('vitrine_catalogue', ''); END IF;
      RETURN NULL;
    END $$;
  CREATE TRIGGER items_notify_insert AFTER INSERT ON items REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION vitrine_notify_catalogue();
  CREATE TRIGGER items_notify_update AFTER UPDATE ON items REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION vitrine_notify_catalogue();
  CREATE FUNCTION vitrine_notify_registry() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_notify('vitrine_registry', ''); RETURN NULL; END $$;
  CREATE TRIGGER models_notify AFTER INSERT OR UPDATE ON models FOR EACH STATEMENT EXECUTE FUNCTION vitrine_notify_registry();
  `,
];

// any fixed 64-bit key: every Vitrine node opening this database takes the same lock
export const MIGRATION_LOCK_KEY = 0x5669_7472_696e_65n; // "Vitrine"

/** Brings the schema to the latest version; refuses a database written by a newer Vitrine. */
export async function migrate(client: pg.PoolClient, migrations: readonly string[] = POSTGRES_MIGRATIONS): Promise<void> {
  await client.query('BEGIN');
  try {
    // however long another node's migration takes (store.busyTimeoutMs is for writes, not this)
    await client.query('SET LOCAL lock_timeout = 0');
    // held until COMMIT/ROLLBACK: a second node waits here, then finds the schema current
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)');
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version');
    const current = rows[0].v ?? 0;
    if (current > migrations.length) {
      throw new VitrineError('VITRINE_STORE_SCHEMA_TOO_NEW',
        `store schema version ${current} is newer than this build knows (${migrations.length})`);
    }
    for (let v = current; v < migrations.length; v++) {
      try {
        await client.query(migrations[v]);
      } catch (err) {
        throw new VitrineError('VITRINE_STORE_MIGRATION_FAILED', `migration ${v + 1} failed: ${(err as Error).message}`,
          undefined, { cause: err });
      }
      await client.query('INSERT INTO schema_version (version) VALUES ($1)', [v + 1]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    const typed = translatePgError(err);
    if (typed instanceof VitrineError) throw typed;
    // e.g. no CREATE privilege on the schema: the database is there, but cannot be made Vitrine's
    throw new VitrineError('VITRINE_STORE_MIGRATION_FAILED', `preparing the schema failed: ${(err as Error).message}`,
      undefined, { cause: err });
  }
}
