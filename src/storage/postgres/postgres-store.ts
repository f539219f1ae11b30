import type pg from 'pg';
import { heldFromEvents, sizeProfileFromEvents } from '../../core/member-derived.ts';
import type { EventSignal, Item, ItemInput, SizeProfileEntry, StoredEvent, User, UserInput, UserStats, VitrineEvent } from '../../core/types.ts';
import type { ArtifactFile, ArtifactStore } from '../artifact-store.ts';
import type { ChangeFeed, ChangeFeedOptions, ChangeFeedSource } from '../change-feed.ts';
import type { TrainingLockHandle, TrainingLockSource } from '../training-lock.ts';
import type {
  AppendResult, CarouselInput, CarouselRecord, ExperimentInput, ExperimentRecord, ImpressionRecord, ModelRecord,
  PageTemplateInput, PageTemplateRecord, Store, UpsertOutcome, VariantCounts,
} from '../store.ts';
import { insertEvents } from './append-events.ts';
import { deleteArtifactRows, getArtifactRows, putArtifactRows } from './artifacts.ts';
import { PostgresChangeFeed } from './change-feed.ts';
import { experimentCounts } from './experiment-counts.ts';
import { PostgresMerchandisingStore } from './merchandising-store.ts';
import { IMPRESSION_UPSERT_SQL, PostgresPageRecords } from './page-records.ts';
import { migrate } from './migrations.ts';
import { guardPg as guard } from './pg-errors.ts';
import { createPool, type PostgresPoolOptions } from './pool.ts';
import {
  columnsOf, ITEM_COLUMN_TYPES, ITEM_COLUMNS, itemValues, rowToEvent, rowToItem, rowToModel, rowToSignal, rowToUser,
  type EventRow, type ImpressionRow, type ItemRow, type ModelRow, type SignalRow, type UserRow,
} from './rows.ts';
import { PostgresSizeCap } from './size-cap.ts';
import { tryTrainingLock } from './training-lock.ts';
import { withClient } from './transaction.ts';
import { upsertUsersIn } from './upsert-users.ts';

export interface PostgresStoreOptions extends PostgresPoolOptions {
  /** store.maxSizeBytes: page records stop at 90% of it, events at it (size-cap.ts); 0/undefined = none */
  maxSizeBytes?: number;
  /** how often the database size is re-read for the cap, ms */
  sizeRefreshMs?: number;
}

const ITEM_UPSERT_SQL = `
  INSERT INTO items (${ITEM_COLUMNS.join(', ')}, placeholder, created_at, updated_at)
  SELECT *, false, $${ITEM_COLUMNS.length + 1}::bigint, $${ITEM_COLUMNS.length + 1}::bigint
  FROM unnest(${ITEM_COLUMN_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
  ON CONFLICT (id) DO UPDATE SET ${ITEM_COLUMNS.slice(1).map((c) => `${c} = excluded.${c}`).join(', ')},
    placeholder = false, updated_at = excluded.updated_at
  RETURNING id, (xmax = 0) AS created`;


/**
 * The scale-out store: PostgreSQL through a node-postgres pool (docs/scale-out.md § PostgreSQL store).
 * Open it with `PostgresStore.open(url)`, which applies the migrations.
 */
export class PostgresStore implements Store, ArtifactStore, ChangeFeedSource, TrainingLockSource {
  readonly kind = 'postgres';
  private readonly merch: PostgresMerchandisingStore;
  private readonly pageRecords: PostgresPageRecords;
  private readonly sizeCap: PostgresSizeCap | undefined;
  private closed = false;

  private constructor(readonly pool: pg.Pool, private readonly url: string, opts: PostgresStoreOptions) {
    this.merch = new PostgresMerchandisingStore(pool);
    this.pageRecords = new PostgresPageRecords(pool);
    if (opts.maxSizeBytes) this.sizeCap = new PostgresSizeCap(pool, opts.maxSizeBytes, opts.sizeRefreshMs);
  }

  /** Connects, brings the schema up to date (under an advisory lock), and returns the store. */
  static async open(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = createPool(url, opts);
    try {
      // migrate() runs its own transaction, under its advisory lock
      await withClient(pool, (client) => migrate(client), false);
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return new PostgresStore(pool, url, opts);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  async ping(): Promise<void> {
    await guard(() => this.pool.query('SELECT 1'));
  }

  /** Runs `fn` in one transaction on one pooled connection (transaction.ts). */
  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return withClient(this.pool, fn);
  }

  private async rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await guard(() => this.pool.query<R>(sql, params))).rows;
  }

  private async changed(sql: string, params: unknown[]): Promise<boolean> {
    return ((await guard(() => this.pool.query(sql, params))).rowCount ?? 0) > 0;
  }

  // ── catalogue ───────────────────────────────────────────────────────────────
  async upsertItems(items: ReadonlyArray<{ id: string } & ItemInput>, now: number): Promise<UpsertOutcome[]> {
    if (items.length === 0) return [];
    // one row per id (the last one, as applying them in turn would leave it); one statement, one commit
    const last = new Map<string, { id: string } & ItemInput>();
    for (const item of items) last.set(item.id, item);
    const values = [...last.values()].map((item) => itemValues(item.id, item));
    const { rows } = await guard(() => this.pool.query<{ id: string; created: boolean }>(ITEM_UPSERT_SQL,
      [...columnsOf(values, ITEM_COLUMNS.length), now]));
    const created = new Set(rows.filter((r) => r.created).map((r) => r.id));
    return items.map((item) => (created.delete(item.id) ? 'created' : 'updated'));
  }

  async getItem(id: string): Promise<Item | null> {
    const [row] = await this.rows<ItemRow>('SELECT * FROM items WHERE id = $1', [id]);
    return row ? rowToItem(row) : null;
  }

  async listItems(opts: { afterId?: string; limit: number; contains?: string }): Promise<Item[]> {
    const rows = opts.contains
      ? await this.rows<ItemRow>('SELECT * FROM items WHERE id > $1 AND (strpos(lower(title), $2) > 0 OR strpos(lower(id), $2) > 0) ORDER BY id LIMIT $3',
        [opts.afterId ?? '', opts.contains, opts.limit])
      : await this.rows<ItemRow>('SELECT * FROM items WHERE id > $1 ORDER BY id LIMIT $2', [opts.afterId ?? '', opts.limit]);
    return rows.map(rowToItem);
  }

  async retireItem(id: string, now: number): Promise<boolean> {
    return this.changed('UPDATE items SET retired = true, updated_at = $1 WHERE id = $2', [now, id]);
  }

  async setAvailability(id: string, sizes: Record<string, number>, now: number): Promise<boolean> {
    return this.changed('UPDATE items SET sizes = $1, updated_at = $2 WHERE id = $3', [JSON.stringify(sizes), now, id]);
  }

  async mergeAvailability(id: string, sizes: Record<string, number>, now: number): Promise<Record<string, number> | null> {
    // one statement, so two merges racing on one item both keep their sizes (jsonb || overrides per key)
    const [row] = await this.rows<{ sizes: string }>(
      'UPDATE items SET sizes = (sizes::jsonb || $1::jsonb)::text, updated_at = $2 WHERE id = $3 RETURNING sizes',
      [JSON.stringify(sizes), now, id]);
    return row ? JSON.parse(row.sizes) : null;
  }

  async countItems(): Promise<number> {
    return (await this.rows<{ n: number }>('SELECT count(*) AS n FROM items'))[0].n;
  }

  // ── members ─────────────────────────────────────────────────────────────────
  async upsertUser(id: string, input: UserInput, now: number): Promise<UpsertOutcome> {
    return (await this.upsertUsers([{ id, input }], now))[0];
  }

  async upsertUsers(users: ReadonlyArray<{ id: string; input: UserInput }>, now: number): Promise<UpsertOutcome[]> {
    if (users.length === 0) return [];
    return this.transaction((client) => upsertUsersIn(client, users, now));
  }

  async getUser(id: string): Promise<User | null> {
    const [row] = await this.rows<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return row ? rowToUser(row) : null;
  }

  async listUsers(opts: { afterId?: string; limit: number }): Promise<User[]> {
    return (await this.rows<UserRow>('SELECT * FROM users WHERE id > $1 ORDER BY id LIMIT $2', [opts.afterId ?? '', opts.limit])).map(rowToUser);
  }

  /**
   * Deletes the member's profile, events and pages in one transaction: from its commit nothing of
   * theirs is readable through SQL. PostgreSQL has no secure_delete: the old row versions stay in
   * the table files until VACUUM reclaims them (and their bytes until the space is reused), and in
   * WAL, archives, replicas and backups until those rotate (docs/scale-out.md § Forget).
   */
  async forgetUser(id: string): Promise<boolean> {
    return this.transaction(async (client) => {
      const events = (await client.query('DELETE FROM events WHERE user_id = $1', [id])).rowCount ?? 0;
      await client.query('DELETE FROM impressions WHERE user_id = $1', [id]);
      const profile = (await client.query('DELETE FROM users WHERE id = $1', [id])).rowCount ?? 0;
      return profile > 0 || events > 0;
    });
  }

  async countUsers(): Promise<number> {
    return (await this.rows<{ n: number }>('SELECT count(*) AS n FROM users'))[0].n;
  }

  // ── events ──────────────────────────────────────────────────────────────────
  /** One statement per batch (append-events.ts): it resolves after PostgreSQL's durable commit. */
  async appendEvents(events: ReadonlyArray<VitrineEvent>): Promise<AppendResult> {
    await guard(async () => this.sizeCap?.assertRoom('events'));
    return guard(() => insertEvents(this.pool, events, Date.now()));
  }

  async userEvents(userId: string, opts: { limit?: number; types?: readonly string[] } = {}): Promise<StoredEvent[]> {
    const limit = opts.limit ?? 1000;
    const rows = opts.types
      ? await this.rows<EventRow>('SELECT * FROM events WHERE user_id = $1 AND type = ANY($2::text[]) ORDER BY ts DESC, seq DESC LIMIT $3',
        [userId, opts.types, limit])
      : await this.rows<EventRow>('SELECT * FROM events WHERE user_id = $1 ORDER BY ts DESC, seq DESC LIMIT $2', [userId, limit]);
    return rows.map(rowToEvent);
  }

  async userStats(userId: string): Promise<UserStats> {
    // actions only: impressions are what the member was shown, not something they did
    const [r] = await this.rows<{ events: number; rents: number; hearts: number; last: number | null }>(`
      SELECT count(*)::int AS events, count(*) FILTER (WHERE type = 'rent')::int AS rents,
        count(*) FILTER (WHERE type = 'heart')::int AS hearts, max(ts) AS last
      FROM events WHERE user_id = $1 AND type <> 'impression'`, [userId]);
    return { events: r.events, rents: r.rents, hearts: r.hearts, lastEventAt: r.last };
  }

  async heldItems(userId: string): Promise<string[]> {
    const rows = await this.rows<{ seq: number; type: string; item_id: string; ts: number }>(
      `SELECT seq, type, item_id, ts FROM events WHERE user_id = $1 AND type IN ('rent', 'return', 'purchase')`, [userId]);
    return heldFromEvents(rows.map((r) => ({ seq: r.seq, type: r.type as StoredEvent['type'], itemId: r.item_id, ts: r.ts })));
  }

  async sizeProfile(userId: string): Promise<Record<string, SizeProfileEntry>> {
    const rows = await this.rows<{ type: string; size: string; fit: string | null }>(
      'SELECT type, size, fit FROM events WHERE user_id = $1 AND size IS NOT NULL', [userId]);
    return sizeProfileFromEvents(rows.map((r) => ({
      type: r.type as StoredEvent['type'], size: r.size, fit: (r.fit ?? undefined) as StoredEvent['fit'],
    })));
  }

  async scanEvents(opts: { afterSeq: number; limit: number }): Promise<StoredEvent[]> {
    return (await this.rows<EventRow>('SELECT * FROM events WHERE seq > $1 ORDER BY seq LIMIT $2', [opts.afterSeq, opts.limit])).map(rowToEvent);
  }

  async scanEventSignals(opts: { afterSeq: number; limit: number }): Promise<EventSignal[]> {
    const { rows } = await guard(() => this.pool.query<SignalRow>({
      text: 'SELECT seq, id, type, item_id, ts, size, occasion FROM events WHERE seq > $1 ORDER BY seq LIMIT $2',
      values: [opts.afterSeq, opts.limit], rowMode: 'array',
    }));
    return rows.map(rowToSignal);
  }

  async countEvents(): Promise<number> {
    return (await this.rows<{ n: number }>('SELECT count(*) AS n FROM events'))[0].n;
  }

  // ── model registry ──────────────────────────────────────────────────────────
  // artifact bytes live here too (artifacts.ts): a version trained on one machine loads on every node
  putArtifact(version: string, files: readonly ArtifactFile[]): Promise<void> {
    return putArtifactRows(this.pool, version, files);
  }

  getArtifact(version: string): Promise<ArtifactFile[] | null> {
    return getArtifactRows(this.pool, version);
  }

  deleteArtifact(version: string): Promise<boolean> {
    return deleteArtifactRows(this.pool, version);
  }

  /** Registry and catalogue writes of every process on the database, as they commit (change-feed.ts). */
  openChangeFeed(opts: ChangeFeedOptions): Promise<ChangeFeed> {
    return PostgresChangeFeed.open(this.pool, this.url, opts);
  }

  /** One trainer at a time across processes (training-lock.ts). */
  tryTrainingLock(): Promise<TrainingLockHandle | null> {
    return tryTrainingLock(this.pool);
  }

  async putModel(m: ModelRecord): Promise<void> {
    await guard(() => this.pool.query(PUT_MODEL_SQL, modelParams(m)));
  }

  async putModels(records: readonly ModelRecord[]): Promise<void> {
    // one transaction: a registry transition (demote, promote) is all or nothing
    await this.transaction(async (client) => {
      for (const m of records) await client.query(PUT_MODEL_SQL, modelParams(m));
    });
  }

  async getModel(version: string): Promise<ModelRecord | null> {
    const [row] = await this.rows<ModelRow>('SELECT * FROM models WHERE version = $1', [version]);
    return row ? rowToModel(row) : null;
  }

  async listModels(): Promise<ModelRecord[]> {
    return (await this.rows<ModelRow>('SELECT * FROM models ORDER BY created_at DESC, version DESC')).map(rowToModel);
  }

  // ── impressions ─────────────────────────────────────────────────────────────
  async putImpression(r: ImpressionRecord): Promise<void> {
    return this.putImpressionsWithEvents([{ record: r, events: [] }]);
  }

  async getImpression(pageId: string): Promise<ImpressionRecord | null> {
    const [row] = await this.rows<ImpressionRow>('SELECT * FROM impressions WHERE page_id = $1', [pageId]);
    return row ? guard(() => this.pageRecords.record(row)) : null;
  }

  async lastImpression(userId: string): Promise<ImpressionRecord | null> {
    const [row] = await this.rows<ImpressionRow>('SELECT * FROM impressions WHERE user_id = $1 ORDER BY ts DESC LIMIT 1', [userId]);
    return row ? guard(() => this.pageRecords.record(row)) : null;
  }

  async putImpressionWithEvents(r: ImpressionRecord, events: ReadonlyArray<VitrineEvent>): Promise<void> {
    return this.putImpressionsWithEvents([{ record: r, events }]);
  }

  async putImpressionsWithEvents(pages: ReadonlyArray<{ record: ImpressionRecord; events: ReadonlyArray<VitrineEvent> }>): Promise<void> {
    if (pages.length === 0) return;
    await guard(async () => this.sizeCap?.assertRoom('page-records'));
    // one row per page id (the last, as INSERT OR REPLACE in turn would leave it)
    const byId = new Map<string, ImpressionRecord>();
    for (const { record } of pages) byId.set(record.pageId, record);
    const params = await guard(() => this.pageRecords.upsertParams([...byId.values()]));
    const events = pages.flatMap((p) => p.events);
    if (events.length === 0) {
      await guard(() => this.pool.query(IMPRESSION_UPSERT_SQL, params));
      return;
    }
    await this.transaction(async (client) => {
      await client.query(IMPRESSION_UPSERT_SQL, params);
      await insertEvents(client, events, Date.now(), true);
    });
  }

  async deletePageRecordsBefore(cutoffTs: number, limit: number): Promise<number> {
    return guard(() => this.pageRecords.deleteBefore(cutoffTs, limit));
  }

  // ── merchandising and experiments (merchandising-store.ts, experiment-counts.ts) ──
  async putCarousel(c: CarouselInput & { id: string }, now: number): Promise<UpsertOutcome> { return this.merch.putCarousel(c, now); }
  async getCarousel(id: string): Promise<CarouselRecord | null> { return this.merch.getCarousel(id); }
  async listCarousels(): Promise<CarouselRecord[]> { return this.merch.listCarousels(); }
  async deleteCarousel(id: string): Promise<boolean> { return this.merch.deleteCarousel(id); }
  async putPageTemplate(t: PageTemplateInput & { name: string }, now: number): Promise<UpsertOutcome> { return this.merch.putPageTemplate(t, now); }
  async getPageTemplate(name: string): Promise<PageTemplateRecord | null> { return this.merch.getPageTemplate(name); }
  async listPageTemplates(): Promise<PageTemplateRecord[]> { return this.merch.listPageTemplates(); }
  async putExperiment(e: ExperimentInput & { id: string }, now: number): Promise<UpsertOutcome> { return this.merch.putExperiment(e, now); }
  async getExperiment(id: string): Promise<ExperimentRecord | null> { return this.merch.getExperiment(id); }
  async listExperiments(): Promise<ExperimentRecord[]> { return this.merch.listExperiments(); }
  async deleteExperiment(id: string): Promise<boolean> { return this.merch.deleteExperiment(id); }
  async experimentCounts(labels: readonly string[]): Promise<Record<string, VariantCounts>> {
    return guard(() => experimentCounts(this.pool, labels));
  }
}

const PUT_MODEL_SQL = `
  INSERT INTO models (version, algorithm, status, created_at, data_from, data_to, metrics, artifact_path, params, note)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
  ON CONFLICT (version) DO UPDATE SET algorithm = excluded.algorithm, status = excluded.status,
    data_from = excluded.data_from, data_to = excluded.data_to, metrics = excluded.metrics,
    artifact_path = excluded.artifact_path, params = excluded.params, note = excluded.note`;

const modelParams = (m: ModelRecord): unknown[] => [m.version, m.algorithm, m.status, m.createdAt, m.dataFrom ?? null, m.dataTo ?? null,
  JSON.stringify(m.metrics), m.artifactPath ?? null, m.params ? JSON.stringify(m.params) : null, m.note ?? null];
