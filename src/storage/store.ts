import type {
  Item, ItemInput, SizeProfileEntry, StoredEvent, User, UserInput, UserStats, VitrineEvent,
} from '../core/types.ts';

/**
 * The store: catalogue, members, the append-only event log, the model registry and impressions.
 * Every implementation (SQLite now; PostgreSQL, Redis later) passes the one contract suite in
 * `test/store-contract.ts`. Methods are async so that networked stores fit the same shape.
 */
export interface Store {
  /** `sqlite`, `postgres`, … */
  readonly kind: string;
  close(): Promise<void>;
  /** Resolves when the store answers a trivial query; throws VITRINE_STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;

  // ── catalogue ─────────────────────────────────────────────────────────────
  /** Upserts items in one transaction; a catalogued item stops being a placeholder. */
  upsertItems(items: ReadonlyArray<{ id: string } & ItemInput>, now: number): Promise<UpsertOutcome[]>;
  getItem(id: string): Promise<Item | null>;
  /** Items ordered by id, `limit` at a time after `afterId` (for scans and listings). */
  listItems(opts: { afterId?: string; limit: number }): Promise<Item[]>;
  /** Marks an item retired (never recommended again; its history is kept). False when unknown. */
  retireItem(id: string, now: number): Promise<boolean>;
  /** Replaces an item's per-size availability. False when unknown. */
  setAvailability(id: string, sizes: Record<string, number>, now: number): Promise<boolean>;
  countItems(): Promise<number>;

  // ── members ───────────────────────────────────────────────────────────────
  /** Creates or replaces the member's profile fields that are given. */
  upsertUser(id: string, input: UserInput, now: number): Promise<UpsertOutcome>;
  /** Upserts many members in one transaction (imports), with upsertUser's semantics each. */
  upsertUsers(users: ReadonlyArray<{ id: string; input: UserInput }>, now: number): Promise<UpsertOutcome[]>;
  getUser(id: string): Promise<User | null>;
  listUsers(opts: { afterId?: string; limit: number }): Promise<User[]>;
  /** Forgets the member: profile, events and impressions are deleted. False when unknown. */
  forgetUser(id: string): Promise<boolean>;
  countUsers(): Promise<number>;

  // ── events ────────────────────────────────────────────────────────────────
  /**
   * Appends events in one transaction and resolves only once they are durable. Events whose id was
   * seen before (in the store or earlier in the batch) are duplicates: not stored, reported by index.
   * Members and items first seen here are created (items as placeholders, see docs/decisions).
   */
  appendEvents(events: ReadonlyArray<VitrineEvent>): Promise<AppendResult>;
  /** A member's events, newest first. */
  userEvents(userId: string, opts?: { limit?: number; types?: string[] }): Promise<StoredEvent[]>;
  userStats(userId: string): Promise<UserStats>;
  /** Items the member rented and has not returned since. */
  heldItems(userId: string): Promise<string[]>;
  /** Per rented size: rents and fit feedback. */
  sizeProfile(userId: string): Promise<Record<string, SizeProfileEntry>>;
  /** Events in arrival order after sequence number `afterSeq`, `limit` at a time (training scans). */
  scanEvents(opts: { afterSeq: number; limit: number }): Promise<StoredEvent[]>;
  countEvents(): Promise<number>;

  // ── model registry ────────────────────────────────────────────────────────
  putModel(record: ModelRecord): Promise<void>;
  getModel(version: string): Promise<ModelRecord | null>;
  listModels(): Promise<ModelRecord[]>;

  // ── impressions (pages served) ────────────────────────────────────────────
  putImpression(record: ImpressionRecord): Promise<void>;
  getImpression(pageId: string): Promise<ImpressionRecord | null>;
  /** The last page served to a member (the fallback chain's "last page"). */
  lastImpression(userId: string): Promise<ImpressionRecord | null>;
}

export type UpsertOutcome = 'created' | 'updated';

export interface AppendResult {
  accepted: number;
  /** indexes (into the input) of events whose id was seen before */
  duplicates: number[];
}

export type ModelStatus = 'active' | 'previous' | 'rejected' | 'training' | 'candidate' | 'retired';

export interface ModelRecord {
  version: string;
  algorithm: string;
  status: ModelStatus;
  createdAt: number;
  /** epoch ms range of the training data */
  dataFrom?: number;
  dataTo?: number;
  /** offline metrics (name → value) */
  metrics: Record<string, number>;
  /** where the artifact lives, relative to the data directory */
  artifactPath?: string;
  params?: Record<string, unknown>;
  note?: string;
}

export interface ImpressionRecord {
  pageId: string;
  userId: string;
  ts: number;
  variant?: string;
  modelVersion?: string;
  /** the served page: rows with their items, as JSON */
  rows: Array<{ rowId: string; kind: string; items: string[] }>;
}
