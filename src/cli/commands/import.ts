/** `vitrine import`: stream a file (or a generated world) into the store, with progress and a summary. */
import { parseArgs } from 'node:util';
import { type ConfigOverrides, loadConfig } from '../../core/config.ts';
import { VitrineError } from '../../core/errors.ts';
import {
  describeBadRows, describeSummary, importEventsJsonl, importItemsJsonl, importMovieLens, importRtr,
  importUsersJsonl, importWorld, type ImportOptions, type ImportSummary, type MovieLensOptions,
} from '../../pipeline/import/index.ts';
import { openStore } from '../../storage/open-store.ts';
import type { Store } from '../../storage/store.ts';
import { exitOnError } from '../exit.ts';
import { ProgressBar } from '../progress.ts';

export const IMPORT_HELP = `vitrine import <format> FILE_OR_DIR [--data DIR] [--store URL] [--min-rating R] [--batch 1000] [--json]

Streams a file into the store (never whole in memory; .gz files are read compressed). Bad rows are
reported by line number and never stop the import. Re-running an import is safe: events have
deterministic ids, so what is already stored is counted as a duplicate, not stored twice.

Formats:
  rtr            Rent the Runway rentals (Misra, Wan & McAuley, RecSys 2018): the reduced CSV
                 (renttherunway_interactions.csv.gz) or the original JSON lines
                 (renttherunway_final_data.json.gz), told apart by content.
                 Creates: one 'rent' event per row (ts = review date, size, fit, rating,
                 occasion = rented_for; id rtr-<row>); items titled "<category> <id>" with their
                 category and ONE UNIT PER SIZE SEEN (RTR has no stock data); members with the
                 sizes they rented (most rented first) and bodyType, age, weightLbs, heightIn, bustSize.
  movielens      ratings.csv (userId,movieId,rating,timestamp), u.data (ml-100k) or ratings.dat (ml-1m).
                 Creates: one 'review' event with its rating per kept rating (id ml-<user>-<movie>);
                 the rated movies as items (category "movie", title and genres→tags from movies.csv /
                 u.item / movies.dat beside the file, else "movie <id>"); members as they appear.
  items-jsonl    one item per line: {"id": …, the PUT /v1/items/{id} body}. Creates/updates items.
  users-jsonl    one member per line: {"id": …, the PUT /v1/users/{id} body}. Creates/updates members.
  events-jsonl   one event per line, as POST /v1/events takes them. Appends events (ids seen before
                 are duplicates); items they name that are not catalogued become placeholders.
  world          a directory from \`vitrine generate\`: items.jsonl, then users.jsonl, then events.jsonl.

Every row is validated with the same rules as the HTTP API (events further than 5 minutes in the
future are refused).

Options:
  --data DIR       data directory; the store is sqlite:DIR/vitrine.db (env VITRINE_DATA_DIR, default ./data)
  --store URL      store URL, overrides --data (env VITRINE_STORE), e.g. sqlite:/tmp/x.db, postgres://host/db
  --min-rating R   movielens only: keep ratings >= R (the others are counted as skipped, not bad)
  --batch N        events/items per transaction (default 1000)
  --json           print the summary as JSON on stdout instead of a sentence
Flags win over their environment variables.

Examples:
  vitrine import rtr ../shared/data/rtr/renttherunway_interactions.csv.gz --data ./data
  vitrine import movielens ~/ml-latest-small/ratings.csv --min-rating 4
  vitrine import world ./world
  vitrine import events-jsonl events.jsonl.gz --store sqlite:/tmp/vitrine.db`;

type Importer = (store: Store, path: string, opts: MovieLensOptions) => Promise<ImportSummary>;

const IMPORTERS: Record<string, Importer> = {
  rtr: importRtr,
  movielens: importMovieLens,
  'items-jsonl': importItemsJsonl,
  'users-jsonl': importUsersJsonl,
  'events-jsonl': importEventsJsonl,
  world: importWorld,
};

interface ImportArgs {
  help: boolean;
  format?: string;
  path?: string;
  data?: string;
  store?: string;
  minRating?: number;
  batch?: number;
  json: boolean;
}

/** Parses import's arguments; throws a usage error (exit 2) on bad ones. */
export function importArgs(argv: string[]): ImportArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' }, store: { type: 'string' }, 'min-rating': { type: 'string' }, batch: { type: 'string' },
      json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  const args: ImportArgs = { help: values.help ?? false, json: values.json ?? false, data: values.data, store: values.store };
  if (args.help) return args;
  const [format, path, ...extra] = positionals;
  if (!format || !path || extra.length > 0) throw usage('expected: vitrine import <format> FILE_OR_DIR');
  if (!Object.hasOwn(IMPORTERS, format)) {
    throw new VitrineError('VITRINE_IMPORT_UNKNOWN_FORMAT', `unknown format "${format}": one of ${Object.keys(IMPORTERS).join(', ')}`);
  }
  args.format = format;
  args.path = path;
  if (values['min-rating'] !== undefined) {
    if (format !== 'movielens') throw usage('--min-rating applies to movielens only');
    args.minRating = Number(values['min-rating']);
    if (values['min-rating'].trim() === '' || !Number.isFinite(args.minRating)) throw usage('--min-rating must be a number');
  }
  if (values.batch !== undefined) {
    args.batch = Number(values.batch);
    if (!Number.isInteger(args.batch) || args.batch < 1 || args.batch > 100_000) throw usage('--batch must be an integer from 1 to 100000');
  }
  return args;
}

function usage(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_PARSE_ARGS_USAGE' });
}

/** The store URL: --store, else --data's, else VITRINE_STORE, else VITRINE_DATA_DIR's, else ./data's. */
export function importConfigOverrides(args: Pick<ImportArgs, 'data' | 'store'>): ConfigOverrides {
  const overrides: ConfigOverrides = {};
  if (args.data) overrides.dataDir = args.data;
  // --data is a flag and so beats VITRINE_STORE from the environment
  const url = args.store ?? (args.data ? `sqlite:${args.data.replace(/\/$/, '')}/vitrine.db` : undefined);
  if (url) overrides.store = { url };
  return overrides;
}

/** Runs `vitrine import`; returns the exit code (0 when the import ran to its end, bad rows or not). */
export async function runImport(argv: string[]): Promise<number> {
  return exitOnError(async () => {
    const args = importArgs(argv);
    if (args.help) {
      console.log(IMPORT_HELP);
      return 0;
    }
    const config = loadConfig(importConfigOverrides(args));
    const store = await openStore(config.store.url, {
      sqlite: { synchronous: config.store.synchronous, busyTimeoutMs: config.store.busyTimeoutMs, maxSizeBytes: config.store.maxSizeBytes || undefined },
      postgres: { poolSize: config.store.poolSize, lockTimeoutMs: config.store.busyTimeoutMs, maxSizeBytes: config.store.maxSizeBytes || undefined },
    });
    const bar = new ProgressBar();
    let summary: ImportSummary;
    try {
      const opts: MovieLensOptions & ImportOptions = {
        onProgress: (p) => bar.update(p), futureToleranceMs: config.ingest.futureToleranceMs,
      };
      if (args.batch !== undefined) opts.batchSize = args.batch;
      if (args.minRating !== undefined) opts.minRating = args.minRating;
      summary = await IMPORTERS[args.format as string](store, args.path as string, opts);
    } finally {
      bar.finish();
      await store.close();
    }
    for (const line of describeBadRows(summary)) console.error(line);
    if (args.json) {
      console.log(JSON.stringify({ ...summary, store: config.store.url }, null, 2));
    } else {
      console.log(describeSummary(summary));
      for (const note of summary.notes) console.log(`  note: ${note}`);
      console.log(`  store: ${config.store.url}`);
    }
    return 0;
  });
}
