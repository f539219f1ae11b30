import type {
  EventSignal, Item, ItemInput, SizeProfileEntry, StoredEvent, User, UserInput, UserStats, VitrineEvent,
} from '../core/types.ts';

/**
 * The store: catalogue, members, the append-only event log, the model registry and impressions.
 * Every implementation (SQLite, PostgreSQL) passes the one contract suite in
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
  /** Items in id order after `afterId`; with `contains`, only those whose lower-cased title or id holds it (a scan: admin search). */
  listItems(opts: { afterId?: string; limit: number; contains?: string }): Promise<Item[]>;
  /** Marks an item retired (never recommended again; its history is kept). False when unknown. */
  retireItem(id: string, now: number): Promise<boolean>;
  /** Replaces an item's per-size availability. False when unknown. */
  setAvailability(id: string, sizes: Record<string, number>, now: number): Promise<boolean>;
  /** Sets the units of the sizes named, keeping the others, in one write; the item's sizes after it, or null when unknown. */
  mergeAvailability(id: string, sizes: Record<string, number>, now: number): Promise<Record<string, number> | null>;
  countItems(): Promise<number>;

  // ── members ───────────────────────────────────────────────────────────────
  /** Creates or replaces the member's profile fields that are given. */
  upsertUser(id: string, input: UserInput, now: number): Promise<UpsertOutcome>;
  /** Upserts many members in one transaction (imports), with upsertUser's semantics each. */
  upsertUsers(users: ReadonlyArray<{ id: string; input: UserInput }>, now: number): Promise<UpsertOutcome[]>;
  getUser(id: string): Promise<User | null>;
  listUsers(opts: { afterId?: string; limit: number }): Promise<User[]>;
  /**
   * Forgets the member: profile, events and served pages are deleted, nothing of theirs readable
   * through the store afterwards. Their bytes on disk: SQLite leaves none readable in its files
   * (secure_delete, then the WAL truncated); PostgreSQL keeps them until VACUUM and WAL, archives and
   * backups rotate (docs/scale-out.md § Forget). False when the store held no profile or event of
   * theirs (their served pages are deleted all the same).
   */
  forgetUser(id: string): Promise<boolean>;
  countUsers(): Promise<number>;

  // ── events ────────────────────────────────────────────────────────────────
  /**
   * Appends events in one transaction and resolves only once they are durable. Events whose id was
   * seen before (in the store or earlier in the batch) are duplicates: not stored, reported by index.
   * Members and items first seen here are created (items as placeholders, see docs/decisions).
   */
  appendEvents(events: ReadonlyArray<VitrineEvent>): Promise<AppendResult>;
  /** A member's events, newest first; `types` keeps only those types (applied before `limit`). */
  userEvents(userId: string, opts?: { limit?: number; types?: readonly string[] }): Promise<StoredEvent[]>;
  /** The member's actions: `events` and `lastEventAt` leave `impression` events out (what they were shown is no action). */
  userStats(userId: string): Promise<UserStats>;
  /** Items the member rented and has not returned since. */
  heldItems(userId: string): Promise<string[]>;
  /** Per rented size: rents and fit feedback. */
  sizeProfile(userId: string): Promise<Record<string, SizeProfileEntry>>;
  /** Events in arrival order after sequence number `afterSeq`, `limit` at a time (training scans). */
  scanEvents(opts: { afterSeq: number; limit: number }): Promise<StoredEvent[]>;
  /** `scanEvents` with only the fields online counts read (several times cheaper to read and to collect). */
  scanEventSignals(opts: { afterSeq: number; limit: number }): Promise<EventSignal[]>;
  countEvents(): Promise<number>;

  // ── model registry ────────────────────────────────────────────────────────
  putModel(record: ModelRecord): Promise<void>;
  /**
   * Writes several records in one transaction: a status change that touches more than one version
   * (activate, roll back, a new version replacing the active one) is never seen, nor left by a crash,
   * half done — so an algorithm never has two active versions, or none.
   */
  putModels(records: readonly ModelRecord[]): Promise<void>;
  getModel(version: string): Promise<ModelRecord | null>;
  listModels(): Promise<ModelRecord[]>;

  // ── impressions (pages served) ────────────────────────────────────────────
  // A store with a size cap refuses page records (VITRINE_STORE_FULL) before it refuses anything else:
  // they are the first thing dropped at the cap (SQLite: past PAGE_LOG_SHARE of store.maxSizeBytes;
  // PostgreSQL: the same share of it, counted by pg_database_size).
  putImpression(record: ImpressionRecord): Promise<void>;
  getImpression(pageId: string): Promise<ImpressionRecord | null>;
  /** The last page served to a member (the fallback chain's "last page"). */
  lastImpression(userId: string): Promise<ImpressionRecord | null>;
  /**
   * Stores a served page and its per-item `impression` events in one transaction (appendEvents'
   * semantics for the events — duplicates by id skipped, unseen items created — except that a read
   * never creates a member: events of a member the store does not hold are not stored).
   */
  putImpressionWithEvents(record: ImpressionRecord, events: ReadonlyArray<VitrineEvent>): Promise<void>;
  /** Several served pages (each with its events) in one transaction: what a busy server logs per tick. */
  putImpressionsWithEvents(pages: ReadonlyArray<{ record: ImpressionRecord; events: ReadonlyArray<VitrineEvent> }>): Promise<void>;
  /**
   * The page-record retention's pass (page-record-retention.ts): deletes at most `limit` page records
   * with `ts` before `cutoffTs`, oldest first, off the serving path; resolves with how many it deleted.
   */
  deletePageRecordsBefore(cutoffTs: number, limit: number): Promise<number>;

  // ── merchandising: carousels and page templates ───────────────────────────
  putCarousel(carousel: CarouselInput & { id: string }, now: number): Promise<UpsertOutcome>;
  getCarousel(id: string): Promise<CarouselRecord | null>;
  /** Every carousel, ordered by id. */
  listCarousels(): Promise<CarouselRecord[]>;
  /** False when unknown. */
  deleteCarousel(id: string): Promise<boolean>;
  putPageTemplate(template: PageTemplateInput & { name: string }, now: number): Promise<UpsertOutcome>;
  getPageTemplate(name: string): Promise<PageTemplateRecord | null>;
  /** Every stored template, ordered by name. */
  listPageTemplates(): Promise<PageTemplateRecord[]>;

  // ── experiments ───────────────────────────────────────────────────────────
  /** Creates or replaces an experiment; an update keeps the original createdAt. */
  putExperiment(experiment: ExperimentInput & { id: string }, now: number): Promise<UpsertOutcome>;
  getExperiment(id: string): Promise<ExperimentRecord | null>;
  /** Every experiment, oldest first (createdAt, then id). */
  listExperiments(): Promise<ExperimentRecord[]>;
  /** Deletes an experiment's configuration (its served pages and events keep their labels); false when none. */
  deleteExperiment(id: string): Promise<boolean>;
  /**
   * Per variant label: exposure and outcomes. Exposure is the stored pages of the label (their items
   * are its impressions) plus `impression` events naming no page. An outcome event naming a page
   * (`context.pageId`) counts for that stored page's label (none when the page was never stored); one
   * naming no page counts for its own `context.variant`. Labels never seen get zeros.
   */
  experimentCounts(variantLabels: readonly string[]): Promise<Record<string, VariantCounts>>;
}

export type UpsertOutcome = 'created' | 'updated';

export interface AppendResult {
  accepted: number;
  /** indexes (into the input) of events whose id was seen before */
  duplicates: number[];
}

/** `failed`: training never finished (the job was cancelled, or the process stopped while it ran). */
export type ModelStatus = 'active' | 'previous' | 'rejected' | 'training' | 'candidate' | 'retired' | 'failed';

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
  /** the served page: rows with their items (stored compact: page-record-codec.ts) */
  rows: Array<{ rowId: string; kind: string; items: string[] }>;
}

/** A stylist's carousel as the API accepts it (API.md § Merchandising). */
export interface CarouselInput {
  title: string;
  /** in the stylist's order; unknown or retired ids are kept (reported by the API, never served) */
  itemIds: string[];
  personalize: boolean;
  /** epoch ms; the carousel is shown only within [activeFrom, activeTo] */
  activeFrom?: number;
  activeTo?: number;
  /** member segments it is meant for; empty or absent = everyone */
  audience?: { segments?: string[] };
}

export interface CarouselRecord extends CarouselInput {
  id: string;
  createdAt: number;
  updatedAt: number;
}

/** One row of a page template: a row kind, and for `curated` the carousel (absent = every active one). */
export interface TemplateRowInput {
  kind: string;
  carouselId?: string;
  size?: number;
  title?: string;
}

export interface PageTemplateInput {
  rows: TemplateRowInput[];
  maxRows?: number;
  /** fixed: rows in the template's order; bandit (absent): learned per segment */
  rowOrder?: 'bandit' | 'fixed';
}

export interface PageTemplateRecord extends PageTemplateInput {
  name: string;
  createdAt: number;
  updatedAt: number;
}

export type ExperimentStatus = 'draft' | 'running' | 'stopped';

/** What a variant changes: the `for-you` model (algorithm or version), the template, the row order, the budget. */
export interface VariantConfigRecord {
  model?: string;
  template?: string;
  rowOrder?: 'bandit' | 'fixed';
  budgetMs?: number;
}

export interface ExperimentVariant {
  name: string;
  weight: number;
  config: VariantConfigRecord;
}

export interface ExperimentInput {
  variants: ExperimentVariant[];
  status: ExperimentStatus;
}

export interface ExperimentRecord extends ExperimentInput {
  id: string;
  createdAt: number;
  updatedAt: number;
}

/** Exposure and outcomes attributed to one variant label. */
export interface VariantCounts {
  /** distinct members shown a page (or an impression event) of the variant */
  users: number;
  /** pages served (impression records) */
  pages: number;
  /** item impressions: the items on the pages served, plus `impression` events naming no page */
  impressions: number;
  clicks: number;
  rents: number;
  /** distinct members with an attributed click / rent */
  clickers: number;
  renters: number;
}
