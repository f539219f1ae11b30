/**
 * Request and response types of the API. Where a route has a TypeBox schema in core/schemas they are
 * its `Static<>` types (type-only imports: nothing of TypeBox reaches the browser bundle); the rest
 * are written out here after the routes.
 */
import type { Static } from '@sinclair/typebox';
import type { EventDoc, EventsResponse } from '../core/schemas/events.ts';
import type { ExperimentBody, ExperimentReportResponse, ExperimentResponse } from '../core/schemas/experiments.ts';
import type { AvailabilityBody, BatchItem, BatchResult, ItemBody, ItemResponse } from '../core/schemas/items.ts';
import type { CarouselBody, CarouselResponse, PageTemplateBody, PageTemplateResponse } from '../core/schemas/merchandising.ts';
import type { ForUserQuery, ItemListResponse, PageQuery, PageResponse, RecommendationsQuery } from '../core/schemas/recommendations.ts';
import type { UserBody, UserResponse, UserWriteAck } from '../core/schemas/users.ts';
import type { StoredEvent, User } from '../core/types.ts';

// ── catalogue ──────────────────────────────────────────────────────────────
export type ItemInput = Static<typeof ItemBody>;
export type ItemWithId = Static<typeof BatchItem>;
export type Item = Static<typeof ItemResponse>;
export type ItemsBatchResult = Static<typeof BatchResult>;
export type Availability = Static<typeof AvailabilityBody>['sizes'];
export interface AvailabilityResult { id: string; sizes: Availability }

// ── members and events ─────────────────────────────────────────────────────
export type UserInput = Static<typeof UserBody>;
export type Member = Static<typeof UserResponse>;
/** PUT /v1/users/{id}'s answer to a write-only key: no member view. */
export type MemberWriteAck = Static<typeof UserWriteAck>;
/** A member as listings return it: the profile, without derived state. */
export type MemberProfile = User;
export type EventInput = Static<typeof EventDoc>;
export type EventType = EventInput['type'];
export type EventsResult = Static<typeof EventsResponse>;
export type MemberEvent = StoredEvent;

// ── recommendations ────────────────────────────────────────────────────────
export type PageOptions = Partial<Static<typeof PageQuery>>;
export type Page = Static<typeof PageResponse>;
export type PageRow = Page['rows'][number];
export type RecommendedItem = PageRow['items'][number];
export type Fallback = Page['fallbacks'][number];
export type RecommendationsOptions = Partial<Static<typeof RecommendationsQuery>>;
export type ForUserOptions = Partial<Static<typeof ForUserQuery>>;
export type ItemList = Static<typeof ItemListResponse>;

// ── merchandising ──────────────────────────────────────────────────────────
export type CarouselInput = Static<typeof CarouselBody>;
export type Carousel = Static<typeof CarouselResponse>;
export type PageTemplateInput = Static<typeof PageTemplateBody>;
export type PageTemplate = Static<typeof PageTemplateResponse>;

// ── experiments ────────────────────────────────────────────────────────────
export type ExperimentInput = Static<typeof ExperimentBody>;
export type Experiment = Static<typeof ExperimentResponse>;
export type ExperimentReport = Static<typeof ExperimentReportResponse>;

// ── models (src/serving/routes/models.ts keeps these schemas private) ──────
export type ModelStatus = 'active' | 'previous' | 'candidate' | 'training' | 'rejected' | 'retired' | 'failed';

export interface ModelRecord {
  version: string;
  algorithm: string;
  status: ModelStatus | (string & {});
  createdAt: number;
  dataFrom?: number;
  dataTo?: number;
  /** trainSeconds and the validation gate's metrics */
  metrics: Record<string, number>;
  artifactPath?: string;
  params?: Record<string, unknown>;
  note?: string;
}

export interface ModelsOverview {
  /** the algorithm of for-you: the champion unless serving.primaryAlgorithm pins one */
  primaryAlgorithm: string;
  /** the top-N ranker the last gated training run crowned, with the gate's scores (metric → algorithm → value) */
  champion?: { algorithm: string; version: string | null; scores: Record<string, Record<string, number>>; serving: boolean } | null;
  /** per algorithm, the versions loaded for serving */
  serving: Record<string, { current?: string; previous?: string }>;
  fault: string | null;
  /** the running training job's id */
  training: string | null;
  models: ModelRecord[];
  /** which loaded version serves each row kind, for the default variant (and `similar`, GET /v1/items/{id}/similar) */
  rowKinds: RowKindModel[];
}

export interface RowKindModel {
  kind: string;
  /** the algorithms the row asks, in order; empty when it uses no model */
  asks: string[];
  /** the first of them with a loaded version, or null */
  algorithm: string | null;
  version: string | null;
}

/** The latest offline evaluation kept in the server's data dir (`vitrine evaluate --data DIR`). */
export interface StoredEvaluation {
  /** epoch ms */
  writtenAt: number;
  /** the command line that made it */
  command: string;
  /** the data's citation (Rent the Runway: Misra, Wan & McAuley, RecSys 2018), when it needs one */
  citation?: string;
  /** the `vitrine evaluate --json` report (docs/validation.md) */
  report: {
    protocol?: string;
    k?: number;
    users?: number;
    items?: number;
    dataset?: string;
    source?: string;
    cutoff?: string;
    /** algorithm → ndcg, recall, precision, hitRate, map, coverage, trainSeconds, … */
    results: Record<string, Record<string, unknown>>;
    [extra: string]: unknown;
  };
}

export interface TrainInput {
  algorithms?: string[];
  /** per algorithm, its training parameters */
  params?: Record<string, Record<string, unknown>>;
}

export interface TrainingJob {
  jobId: string;
  kind: 'train';
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  algorithms?: string[];
  createdAt: number;
  finishedAt?: number;
  progress?: { algorithm: string; fraction: number; label: string };
  log: string[];
  models: Array<{ version: string; algorithm: string; status: string; metrics: Record<string, number>; note?: string }>;
  error?: { code: string; message: string };
}

// ── listings and operations ────────────────────────────────────────────────
export interface ListOptions {
  /** the last id of the previous page (keyset paging) */
  after?: string;
  limit?: number;
  /** only ids that start with it (a search by id) */
  prefix?: string;
}

/** Item listing options: also a search in titles and ids. */
export interface ItemListOptions extends ListOptions {
  /** only items whose title or id contains it, case-insensitive */
  q?: string;
}
export interface ItemsPage { items: Item[]; next: string | null }
export interface MembersPage { users: MemberProfile[]; next: string | null }
export interface StoreStats { items: number; users: number; events: number; store: string }
export interface Health { status: 'ok' }
export interface Readiness { status: 'ready'; store: string }
/** GET /v1/session: `open` when the server has no API keys (then every scope is allowed). */
export interface Session { open: boolean; scopes: Array<'read' | 'write' | 'admin'> }
