/**
 * Configuration: defaults in one place, overridden by a TOML file (`vitrine.toml` or VITRINE_CONFIG),
 * then by `VITRINE_*` environment variables, then by command-line flags; validated once at start-up
 * and frozen. `vitrine.example.toml` documents every key and is parsed by a test.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { VitrineError } from './errors.ts';
import { EVENT_TYPES } from './types.ts';

const Scope = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')]);

/** The fallback chain's sources (serving/fallback): a row that fails or is late tries the next. */
export const FALLBACK_SOURCES = ['current-model', 'previous-model', 'last-page', 'segment-popularity', 'static'] as const;
export type FallbackSource = (typeof FALLBACK_SOURCES)[number];

/** A list of (event type, weight) positives; an array so that a config file's list replaces the default. */
const PositiveEvents = Type.Array(Type.Object({
  type: Type.Union(EVENT_TYPES.map((t) => Type.Literal(t))),
  weight: Type.Number({ exclusiveMinimum: 0 }),
}, { additionalProperties: false }), { minItems: 1 });

export const ConfigSchema = Type.Object({
  dataDir: Type.String({ minLength: 1 }),
  server: Type.Object({
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    /** largest accepted request body */
    bodyLimitBytes: Type.Integer({ minimum: 1024 }),
  }, { additionalProperties: false }),
  store: Type.Object({
    /** `sqlite:PATH` or `postgres://…`; empty means `sqlite:<dataDir>/vitrine.db` */
    url: Type.String(),
    synchronous: Type.Union([Type.Literal('NORMAL'), Type.Literal('FULL')]),
    busyTimeoutMs: Type.Integer({ minimum: 0 }),
    /** 0 = unlimited; page records stop at 90% of it (page-log-cap.ts PAGE_LOG_SHARE), other writes at the cap */
    maxSizeBytes: Type.Integer({ minimum: 0 }),
    /** PostgreSQL connections per process (node-postgres runs one query per connection at a time) */
    poolSize: Type.Integer({ minimum: 1, maximum: 1000 }),
    /** page records older than this many days are deleted by the server (0 = kept until the size cap); page-record-retention.ts */
    pageRecordRetentionDays: Type.Number({ minimum: 0, maximum: 36_500 }),
    /** a shared store (PostgreSQL): how often a node polls for other nodes' registry and catalogue writes, under LISTEN/NOTIFY (ADR 0024) */
    changePollMs: Type.Integer({ minimum: 50, maximum: 600_000 }),
  }, { additionalProperties: false }),
  /** online member state (ADR 0022) */
  state: Type.Object({
    /** '' or `memory`: in this process; `redis://host:port` or `redis+cluster://h1:p1,h2:p2,…`: shared by every node */
    url: Type.String(),
    /** a page's member read not answered within this falls back (cold start for that page) */
    readTimeoutMs: Type.Integer({ minimum: 1, maximum: 10_000 }),
    /** a member whose state no event touched for this long leaves Redis (rebuilt from the store on its next page) */
    ttlDays: Type.Number({ exclusiveMinimum: 0 }),
  }, { additionalProperties: false }),
  auth: Type.Object({
    keys: Type.Array(Type.Object({
      key: Type.String({ minLength: 16 }),
      scopes: Type.Array(Scope, { minItems: 1 }),
      name: Type.Optional(Type.String()),
    }, { additionalProperties: false })),
  }, { additionalProperties: false }),
  ingest: Type.Object({
    maxBatch: Type.Integer({ minimum: 1, maximum: 1000 }),
    /** how far in the future an event's ts may be (clock skew) */
    futureToleranceMs: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }),
  log: Type.Object({
    level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  }, { additionalProperties: false }),
  models: Type.Object({
    /** model artifacts kept per algorithm, newest first; active and previous versions are never removed (pipeline/artifact-gc.ts) */
    keepVersions: Type.Integer({ minimum: 1, maximum: 1000 }),
  }, { additionalProperties: false }),
  serving: Type.Object({
    /** the whole request's time budget (a variant may override it) */
    budgetMs: Type.Integer({ minimum: 10, maximum: 10_000 }),
    /** the most one row may take, within the request budget */
    rowBudgetMs: Type.Integer({ minimum: 5, maximum: 10_000 }),
    /** sources a failing or late row falls back to, in order */
    fallbackChain: Type.Array(Type.Union(FALLBACK_SOURCES.map((s) => Type.Literal(s))), { minItems: 1 }),
    /** candidates fetched per row slot, so de-duplication and fit filters still fill the row */
    overfetch: Type.Number({ minimum: 1, maximum: 10 }),
    /** an item returned less than this many days ago is not shown again */
    returnedWithinDays: Type.Number({ minimum: 0 }),
    /** items whose predicted P(fit) in the member's size is below this are filtered out (0 = never) */
    fitFilterBelow: Type.Number({ minimum: 0, maximum: 1 }),
    /** how strongly P(fit) re-weights scores: score × (1 + fitBoost × (P(fit) − 0.5)) */
    fitBoost: Type.Number({ minimum: 0, maximum: 2 }),
    /** half-life of the online "trending" counts */
    trendingHalfLifeDays: Type.Number({ exclusiveMinimum: 0 }),
    /** events scanned at start-up to seed trending and occasion counts (0 = learn online only) */
    signalsScanLimit: Type.Integer({ minimum: 0 }),
    /** item ids of the list that cannot fail; empty = the catalogue's newest items */
    staticItems: Type.Array(Type.String()),
    /** pseudo-observations of a segment's row-order prior drawn from all segments */
    banditPriorStrength: Type.Number({ minimum: 0 }),
    /**
     * the algorithm of `for-you` (and of fold-in vectors, and the seed of the other model-driven rows)
     * unless a variant names another: `auto` = the champion the validation gate crowned at training
     * (pipeline/champion.ts); an algorithm name pins it
     */
    primaryAlgorithm: Type.String({ minLength: 1 }),
    /** members whose online state is held in memory; past it the least recently used are dropped (re-read on demand) */
    memberStateCap: Type.Integer({ minimum: 1 }),
    /** positives kept per member, newest first (fold-in, "because you liked") */
    recentPerMember: Type.Integer({ minimum: 1, maximum: 1024 }),
    /** a member's newest events read from the store when they are first needed */
    hydrateEvents: Type.Integer({ minimum: 1, maximum: 100_000 }),
    /** members whose fold-in vectors are cached, per algorithm (0: computed on every page) */
    foldInCacheSize: Type.Integer({ minimum: 0 }),
    /** the primary model retrieves from an ANN index when it ranks at least this many items; below, scoring is exact */
    annMinItems: Type.Integer({ minimum: 1 }),
    /** recall@20 against exact scoring the ANN probes are calibrated to (on trained members' vectors) */
    annRecallTarget: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    /** log one `impression` event per shown item besides the page record (false: the page record only) */
    impressionItemEvents: Type.Boolean(),
    /**
     * served pages are logged in one store transaction per this many ms (0 = per turn of the event
     * loop). The page's 200 never waits for its record; a crash loses at most this long of page records
     */
    impressionFlushMs: Type.Integer({ minimum: 0, maximum: 10_000 }),
    /** members whose model-driven rows are cached between pages (0 = fill every row afresh; ADR 0007) */
    rowCacheMembers: Type.Integer({ minimum: 0 }),
    /** the longest a member's cached rows are reused, ms: how far they may lag trending and occasion counts */
    rowCacheTtlMs: Type.Integer({ minimum: 0 }),
    /** … and for rows built on live counts or availability (trending, popular and back in your size, new arrivals, occasion) */
    rowCacheLiveTtlMs: Type.Integer({ minimum: 0 }),
    /**
     * each cached page or row lives a random (1 − jitter … 1) × its TTL, so pages made together (a
     * warm-up, a traffic peak) are not all recomposed in the same second when their TTL runs out
     */
    cacheTtlJitter: Type.Number({ minimum: 0, maximum: 0.9 }),
    /**
     * worker threads that compose pages, members partitioned among them (ADR 0010); 0 = pages are
     * composed on the HTTP thread. Needs a store file the workers can open (not sqlite::memory:)
     */
    pageWorkers: Type.Integer({ minimum: 0, maximum: 16 }),
    /**
     * each page worker's old-generation heap bound, MB (0 = V8's default, a share of the machine's
     * memory). A bound keeps the garbage collectors from holding far more than the live data; a worker
     * that needs more exits and is replaced, so size it well above its live data
     */
    pageWorkerHeapMb: Type.Integer({ minimum: 0 }),
    /**
     * how far V8 lets each heap of the serving process grow past what a full collection left live, %
     * (every thread; `vitrine serve` sets it at start; 0 = V8's own factor, which on a machine with much
     * memory lets a busy heap reach several times its live data; default 50). Lower holds RSS nearer the live data
     * for more frequent full collections (docs/operations.md, bench/results/serve-memory.md)
     */
    heapGrowthPercent: Type.Integer({ minimum: 0, maximum: 400 }),
    /**
     * V8's allocation-site pretenuring in the serving process (every thread; `vitrine serve` sets it at
     * start). Off by default: on the serving threads it fed a loop of dead old objects keeping young
     * ones alive, a full collection every ~1.25 s on the HTTP thread and scavenges 2-3× longer
     * (ADR 0015, src/serving/v8-flags.ts)
     */
    allocationSitePretenuring: Type.Boolean(),
  }, { additionalProperties: false }),
  training: Type.Object({
    /** train in a worker thread so serving is unaffected (false: on the serving thread, e.g. an in-memory store) */
    inWorker: Type.Boolean(),
    /**
     * EASE is trained by default only up to this many items: it inverts an items × items matrix
     * (items² × 24 bytes while training, items² × 4 bytes served; 10,000 items ≈ 2.4 GB / 0.4 GB)
     */
    easeMaxItems: Type.Integer({ minimum: 0 }),
    /** which events every algorithm learns from (pipeline/training-data.ts) */
    positives: Type.Object({
      /** event types that are positives, with the weight each counts with */
      events: PositiveEvents,
      /** used instead when the log holds none of `events` (e.g. a ratings import: rated reviews) */
      fallback: PositiveEvents,
      /** a `review` counts only with a rating ≥ this (0: any rating; reviews without one never count) */
      minRating: Type.Number({ minimum: 0 }),
    }, { additionalProperties: false }),
    /** the validation gate a new model must pass to be activated */
    gate: Type.Object({
      /** algorithms the gate judges; others (content, style clusters: not top-N rankers) activate when they train */
      algorithms: Type.Array(Type.String()),
      metric: Type.Union([Type.Literal('ndcg'), Type.Literal('recall'), Type.Literal('precision'), Type.Literal('hitRate'), Type.Literal('map')]),
      k: Type.Integer({ minimum: 1, maximum: 100 }),
      /** the newest share of positives held out as the recent test period */
      testFraction: Type.Number({ exclusiveMinimum: 0, maximum: 0.5 }),
      /**
       * the candidate must reach (1 − tolerance) × the active model's metric; a challenger replaces
       * the champion only above (1 + tolerance) × the champion's
       */
      tolerance: Type.Number({ minimum: 0, maximum: 1 }),
      /** … and this multiple of popularity's */
      minVsPopularity: Type.Number({ minimum: 0 }),
      /** members evaluated at most (evenly sampled) */
      maxUsers: Type.Integer({ minimum: 1 }),
    }, { additionalProperties: false }),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

export type VitrineConfig = Static<typeof ConfigSchema>;
export type Scope = Static<typeof Scope>;

export const DEFAULT_CONFIG: VitrineConfig = {
  dataDir: './data',
  server: { host: '127.0.0.1', port: 8080, bodyLimitBytes: 4 * 1024 * 1024 },
  // 8 GiB: room for a large catalogue and history, yet a bound on what reads can add (page records stop first)
  store: {
    url: '', synchronous: 'NORMAL', busyTimeoutMs: 5000, maxSizeBytes: 8 * 1024 ** 3, poolSize: 10, pageRecordRetentionDays: 30,
    changePollMs: 5000,
  },
  state: { url: '', readTimeoutMs: 50, ttlDays: 30 },
  auth: { keys: [] },
  ingest: { maxBatch: 1000, futureToleranceMs: 5 * 60_000 },
  log: { level: 'info' },
  models: { keepVersions: 3 },
  serving: {
    budgetMs: 200,
    rowBudgetMs: 150,
    fallbackChain: [...FALLBACK_SOURCES],
    overfetch: 3,
    returnedWithinDays: 30,
    fitFilterBelow: 0.15,
    fitBoost: 0.5,
    trendingHalfLifeDays: 7,
    signalsScanLimit: 2_000_000,
    staticItems: [],
    banditPriorStrength: 10,
    primaryAlgorithm: 'auto',
    memberStateCap: 1_000_000,
    recentPerMember: 200,
    hydrateEvents: 1000,
    foldInCacheSize: 100_000,
    annMinItems: 10_000,
    annRecallTarget: 0.97,
    // a read must not grow members' histories (issue 20); page records count exposure all the same
    impressionItemEvents: false,
    impressionFlushMs: 50,
    // 13 KB of live heap per cached member, 25 KB once its page is reused (bench/serve-member-heap.ts
    // --cached; docs/operations.md § Online member state and its memory): ~50 MB at 2,000 before the
    // collectors' headroom (5,000 until the 1M-member memory target was measured against it).
    // Trade: fewer members' repeat views reused on a busy site (bench:serve sizes it for its hot pool)
    rowCacheMembers: 2_000,
    rowCacheTtlMs: 300_000,
    rowCacheLiveTtlMs: 120_000,
    cacheTtlJitter: 0.25,
    pageWorkers: 0,
    pageWorkerHeapMb: 0,
    // V8's own factor let the page workers' heaps reach ~4× their live data (docs/operations.md §
    // Online member state and its memory): 50 holds them to 1.5× for more frequent full collections
    heapGrowthPercent: 50,
    // V8's pretenuring fed a promotion loop on the serving threads (ADR 0015)
    allocationSitePretenuring: false,
  },
  training: {
    inWorker: true,
    easeMaxItems: 10_000,
    positives: {
      events: [{ type: 'rent', weight: 1 }, { type: 'purchase', weight: 1 }],
      fallback: [{ type: 'review', weight: 1 }],
      minRating: 0,
    },
    gate: {
      algorithms: ['popularity-recent', 'item-knn', 'ease', 'als', 'hybrid'],
      metric: 'ndcg',
      k: 10,
      testFraction: 0.1,
      tolerance: 0.05,
      minVsPopularity: 0.5,
      maxUsers: 5000,
    },
  },
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };
export type ConfigOverrides = DeepPartial<VitrineConfig>;

/** Reads `VITRINE_*` variables into overrides. API keys: `VITRINE_API_KEYS="key:read,write;key2:admin"`. */
export function configFromEnv(env: NodeJS.ProcessEnv): ConfigOverrides {
  const o: ConfigOverrides = {};
  if (env.VITRINE_DATA_DIR) o.dataDir = env.VITRINE_DATA_DIR;
  if (env.VITRINE_HOST || env.VITRINE_PORT) {
    o.server = {};
    if (env.VITRINE_HOST) o.server.host = env.VITRINE_HOST;
    if (env.VITRINE_PORT) o.server.port = Number(env.VITRINE_PORT);
  }
  if (env.VITRINE_STORE) o.store = { url: env.VITRINE_STORE };
  if (env.VITRINE_STATE) o.state = { url: env.VITRINE_STATE };
  if (env.VITRINE_PAGE_WORKERS) o.serving = { pageWorkers: Number(env.VITRINE_PAGE_WORKERS) };
  if (env.VITRINE_LOG_LEVEL) o.log = { level: env.VITRINE_LOG_LEVEL as VitrineConfig['log']['level'] };
  if (env.VITRINE_API_KEYS) {
    o.auth = {
      keys: env.VITRINE_API_KEYS.split(';').filter(Boolean).map((entry) => {
        const [key, scopes = ''] = entry.split(':');
        return { key, scopes: scopes.split(',').filter(Boolean) as Scope[] };
      }),
    };
  }
  return o;
}

/** Reads a TOML config file into overrides. */
export function configFromToml(text: string): ConfigOverrides {
  return parseToml(text) as ConfigOverrides;
}

/** Merges overrides onto the defaults, validates, resolves derived values and freezes the result. */
export function resolveConfig(...layers: ConfigOverrides[]): Readonly<VitrineConfig> {
  const merged = layers.reduce<Record<string, unknown>>((acc, layer) => deepMerge(acc, layer as Record<string, unknown>),
    structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown>);
  if (!Value.Check(ConfigSchema, merged)) {
    const problems = [...Value.Errors(ConfigSchema, merged)].slice(0, 10).map((e) => `${e.path || '/'}: ${e.message}`);
    throw new VitrineError('VITRINE_CONFIG_INVALID', `invalid configuration: ${problems.join('; ')}`, problems);
  }
  const config = merged as VitrineConfig;
  if (!config.store.url) config.store.url = `sqlite:${config.dataDir.replace(/\/$/, '')}/vitrine.db`;
  return deepFreeze(config);
}

/** The config for a process: defaults ← TOML file (if any) ← environment ← flags. */
export function loadConfig(flags: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Readonly<VitrineConfig> {
  const file = env.VITRINE_CONFIG ?? (existsSync('vitrine.toml') ? 'vitrine.toml' : undefined);
  if (env.VITRINE_CONFIG && !existsSync(env.VITRINE_CONFIG)) {
    throw new VitrineError('VITRINE_CONFIG_INVALID', `config file ${env.VITRINE_CONFIG} (VITRINE_CONFIG) does not exist`);
  }
  let fromFile: ConfigOverrides = {};
  if (file) {
    try {
      fromFile = configFromToml(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new VitrineError('VITRINE_CONFIG_INVALID', `cannot parse ${file}: ${(err as Error).message}`);
    }
  }
  return resolveConfig(fromFile, configFromEnv(env), flags);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(over ?? {})) {
    if (v === undefined) continue;
    const b = base[k];
    // arrays replace (a list in a file is the whole list); cloned, so that TOML's null-prototype tables become plain objects
    base[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
      ? deepMerge({ ...(b as Record<string, unknown>) }, v as Record<string, unknown>)
      : Array.isArray(v) ? structuredClone(v) : v;
  }
  return base;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
