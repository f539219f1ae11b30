/**
 * What other nodes wrote, followed from PostgreSQL (ADR 0024). Writes to `items` and `models` stamp
 * each row with their transaction id (change_xid) and NOTIFY `vitrine_catalogue` / `vitrine_registry`
 * at commit (migration 3). A dedicated connection LISTENs and wakes a check at once; a poll every
 * `pollIntervalMs` runs the same check, because NOTIFY reaches only sessions listening at commit
 * (a reconnect misses what was sent meanwhile). The check reads rows stamped by any transaction the
 * previous check's snapshot could not see (xid ≥ its xmin and not visible in it), so a write that
 * commits late is never skipped, and what the baseline saw is never delivered even while another
 * session's old transaction holds xmin back; rows already delivered are recognized by (id, xid).
 * TODO(scale-out): a check reads every changed row at once; an import of a whole catalogue while
 * nodes run hands each node that many items in one result (fine at 100k items, not at 10M).
 */
import pg from 'pg';
import type { ChangeFeed, ChangeFeedOptions, ChangeHandlers } from '../change-feed.ts';
import { rowToItem, type ItemRow } from './rows.ts';

const CHANNELS = ['vitrine_catalogue', 'vitrine_registry'];
const RECONNECT_MS = 1000;

type ChangedItemRow = ItemRow & { xid: string };

export class PostgresChangeFeed implements ChangeFeed {
  private handlers?: ChangeHandlers;
  private listener?: pg.Client;
  private reconnectTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private closed = false;
  /** the chain of checks: one at a time; a wake during one queues exactly one more */
  private running: Promise<void> = Promise.resolve();
  private queued?: Promise<void>;
  /** (id or version, xid) of rows delivered whose transaction is not yet below the horizon */
  private delivered = new Map<string, bigint>();
  private registryDelivered = new Map<string, bigint>();

  private constructor(private readonly pool: pg.Pool, private readonly url: string, private readonly opts: ChangeFeedOptions,
    private horizon: Snapshot) {}

  /**
   * Takes the baseline (the oldest running transaction now), nothing more: a start-up that fails
   * before start() leaves no connection or timer behind to keep the process alive.
   */
  static async open(pool: pg.Pool, url: string, opts: ChangeFeedOptions): Promise<PostgresChangeFeed> {
    return new PostgresChangeFeed(pool, url, opts, await currentSnapshot(pool));
  }

  /** Listens, polls, and delivers what changed since the baseline (listen() checks once connected). */
  start(handlers: ChangeHandlers): void {
    this.handlers = handlers;
    this.pollTimer = setInterval(() => void this.wake(), this.opts.pollIntervalMs);
    this.pollTimer.unref();
    void this.listen();
  }

  catchUp(): Promise<void> {
    return this.wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.reconnectTimer);
    await this.running.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
  }

  /** A check after any running one; concurrent wakes share the one queued. */
  private wake(): Promise<void> {
    if (!this.handlers || this.closed) return Promise.resolve();
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.check();
    });
    this.running = this.queued.catch((err: Error) => this.opts.log?.(`change feed: a check failed (${err.message}); the next poll retries`));
    return this.running;
  }

  private async check(): Promise<void> {
    const handlers = this.handlers;
    if (!handlers) return;
    // taken before reading: whatever this read cannot see yet has an xid at or above it
    const next = await currentSnapshot(this.pool);
    const since = [this.horizon.xmin.toString(), this.horizon.text];
    const { rows } = await this.pool.query<ChangedItemRow>(
      `SELECT *, change_xid::text AS xid FROM items WHERE ${UNSEEN} AND NOT placeholder ORDER BY change_xid, id`, since);
    const fresh = rows.filter((r) => this.delivered.get(r.id) !== BigInt(r.xid));
    const { rows: models } = await this.pool.query<{ version: string; xid: string }>(
      `SELECT version, change_xid::text AS xid FROM models WHERE ${UNSEEN}`, since);
    const registryChanged = models.some((m) => this.registryDelivered.get(m.version) !== BigInt(m.xid));
    if (fresh.length) await handlers.items(fresh.map(rowToItem));
    if (registryChanged) await handlers.registry();
    for (const r of fresh) this.delivered.set(r.id, BigInt(r.xid));
    for (const m of models) this.registryDelivered.set(m.version, BigInt(m.xid));
    this.horizon = next;
    // below the horizon a row is never read again: forget it
    for (const map of [this.delivered, this.registryDelivered]) for (const [k, xid] of map) if (xid < next.xmin) map.delete(k);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'vitrine-changes', connectionTimeoutMillis: 5000 });
    client.on('notification', () => void this.wake());
    const lost = (err?: Error) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.opts.log?.(`change feed: the LISTEN connection was lost${err ? ` (${err.message})` : ''}; reconnecting, polling meanwhile`);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      for (const channel of CHANNELS) await client.query(`LISTEN ${channel}`);
      if (this.closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.listener = client;
    } catch (err) {
      await client.end().catch(() => undefined);
      this.opts.log?.(`change feed: cannot LISTEN (${(err as Error).message}); polling every ${this.opts.pollIntervalMs} ms until it can`);
      this.scheduleReconnect();
      void this.wake();
      return;
    }
    // what changed before this connection listened (the baseline on; a drop's gap): read it now
    void this.wake();
  }

  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.listen(), RECONNECT_MS);
    this.reconnectTimer.unref();
  }
}

/** A snapshot: its xmin (every xid below it finished) and its text form for pg_visible_in_snapshot. */
interface Snapshot {
  xmin: bigint;
  text: string;
}

// stamped by a transaction the snapshot ($2) could not see; xmin ($1) bounds the index scan
const UNSEEN = 'change_xid >= $1::text::xid8 AND NOT pg_visible_in_snapshot(change_xid, $2::text::pg_snapshot)';

async function currentSnapshot(pool: pg.Pool): Promise<Snapshot> {
  const { rows } = await pool.query<{ xmin: string; snap: string }>(
    'SELECT pg_snapshot_xmin(s)::text AS xmin, s::text AS snap FROM pg_current_snapshot() AS s');
  return { xmin: BigInt(rows[0].xmin), text: rows[0].snap };
}
