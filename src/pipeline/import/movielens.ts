/**
 * MovieLens import: `ratings.csv` (userId,movieId,rating,timestamp), `u.data` (tab-separated, ml-100k)
 * or `ratings.dat` (`::`-separated, ml-1m). Each kept rating becomes a `review` event carrying the
 * rating; the rated movies are catalogued (category "movie", genres as tags) from the metadata file
 * beside the ratings when there is one.
 */
import { VitrineError } from '../../core/errors.ts';
import { isInputRejection, validateItemWithId } from '../../core/validate-input.ts';
import { isRejection, validateEvent } from '../../core/validate-event.ts';
import type { ItemInput } from '../../core/types.ts';
import type { Store } from '../../storage/store.ts';
import { EventBatchWriter } from './event-writer.ts';
import { ImportRun } from './import-run.ts';
import type { ImportOptions, ImportSummary } from './import-types.ts';
import { type LineReader, openLines } from './line-reader.ts';
import { type MovieMeta, movieItem, movieMetadataPath, readMovieMetadata } from './movielens-catalogue.ts';

export interface MovieLensOptions extends ImportOptions {
  /** keep ratings ≥ this; the others are counted as skipped, not as bad rows */
  minRating?: number;
}

type Shape = 'csv' | 'tab' | 'dat';
const SEPARATOR: Record<Shape, string> = { csv: ',', tab: '\t', dat: '::' };

/** Imports MovieLens ratings into the store. */
export async function importMovieLens(store: Store, path: string, opts: MovieLensOptions = {}): Promise<ImportSummary> {
  const reader = openLines(path);
  const run = new ImportRun('movielens', path, opts);
  const writer = new EventBatchWriter(store, run.batchSize);
  const members = new Set<string>();
  const movies = new Set<string>();
  let skipped = 0;
  let shape: Shape | undefined;
  let lineNo = 0;
  for await (const line of reader.lines) {
    lineNo++;
    if (line.trim() === '') continue;
    if (shape === undefined) {
      shape = detectShape(line, reader);
      if (shape === 'csv') continue; // the header
    }
    run.countRow(reader);
    const f = line.split(SEPARATOR[shape]);
    if (f.length < 4) {
      run.reject(reader, lineNo, 'VITRINE_IMPORT_BAD_ROW', `expected 4 fields (user, movie, rating, timestamp), got ${f.length}`);
      continue;
    }
    const [userId, movieId, ratingText, secondsText] = f.map((s) => s.trim());
    const rating = Number(ratingText);
    const seconds = Number(secondsText);
    if (ratingText === '' || !Number.isFinite(rating)) {
      run.reject(reader, lineNo, 'VITRINE_IMPORT_BAD_ROW', `rating "${ratingText}" is not a number`);
      continue;
    }
    if (secondsText === '' || !Number.isInteger(seconds) || seconds < 0) {
      run.reject(reader, lineNo, 'VITRINE_IMPORT_BAD_ROW', `timestamp "${secondsText}" is not whole seconds since 1970`);
      continue;
    }
    // one rating per member and movie in MovieLens: the pair is the event's identity, whatever the line
    const event = validateEvent(
      { id: `ml-${userId}-${movieId}`, type: 'review', userId, itemId: movieId, ts: seconds * 1000, rating },
      run.validation(),
    );
    if (isRejection(event)) {
      run.reject(reader, lineNo, event.code, event.message);
      continue;
    }
    if (opts.minRating !== undefined && rating < opts.minRating) {
      skipped++;
      continue;
    }
    await writer.add(event);
    members.add(userId);
    movies.add(movieId);
  }
  await writer.flush();
  run.report(reader, 'reading');
  const notes = opts.minRating === undefined ? [] : [`kept ratings ≥ ${opts.minRating}; ${skipped.toLocaleString('en-US')} below it skipped`];
  const items = await writeMovies(store, path, movies, run, reader, notes);
  return run.summary({ events: writer.accepted, duplicates: writer.duplicates, members: members.size, items, skipped, notes });
}

function detectShape(first: string, reader: LineReader): Shape {
  if (first.includes('\t')) return 'tab';
  if (first.includes('::')) return 'dat';
  if (/^\s*"?userId"?\s*,\s*"?movieId"?/i.test(first)) return 'csv';
  throw new VitrineError('VITRINE_IMPORT_UNKNOWN_FORMAT',
    `${reader.name} is not MovieLens ratings: expected a userId,movieId,rating,timestamp header (ratings.csv), tab-separated u.data or ratings.dat`);
}

/** Catalogues every rated movie; returns how many were written. */
async function writeMovies(store: Store, path: string, rated: Set<string>, run: ImportRun, reader: LineReader, notes: string[]): Promise<number> {
  const metaPath = movieMetadataPath(path);
  let meta = new Map<string, MovieMeta>();
  if (metaPath) {
    const read = await readMovieMetadata(metaPath, rated);
    meta = read.movies;
    notes.push(`titles and genres from ${metaPath} (${meta.size.toLocaleString('en-US')} of ${rated.size.toLocaleString('en-US')} rated movies found)`
      + (read.unreadable > 0 ? `; ${read.unreadable} unreadable metadata lines ignored` : ''));
  } else {
    notes.push('no movies.csv / u.item beside the ratings: movies are titled "movie <id>"');
  }
  let batch: Array<{ id: string } & ItemInput> = [];
  let written = 0;
  for (const id of rated) {
    const item = validateItemWithId(movieItem(id, meta.get(id)));
    if (isInputRejection(item)) throw new VitrineError('VITRINE_INTERNAL_ERROR', `movie ${id}: ${item.message}`);
    batch.push(item);
    if (batch.length >= run.batchSize) {
      written += (await store.upsertItems(batch, run.now())).length;
      batch = [];
      run.report(reader, 'catalogue', written, rated.size);
    }
  }
  if (batch.length > 0) written += (await store.upsertItems(batch, run.now())).length;
  run.report(reader, 'catalogue', written, rated.size);
  return written;
}
