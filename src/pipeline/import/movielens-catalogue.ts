/**
 * MovieLens titles and genres from the metadata file that ships beside the ratings:
 * `movies.csv` (movieId,title,genres) beside `ratings.csv`, `u.item` (+ `u.genre`) beside `u.data`,
 * `movies.dat` beside `ratings.dat`. Streamed, keeping only the movies that were rated.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { emptyRecord } from '../../core/dictionary.ts';
import type { AttributeValue, ItemInput } from '../../core/types.ts';
import { parseCsvRecord } from './csv.ts';
import { openLines } from './line-reader.ts';

export interface MovieMeta {
  title: string;
  genres: string[];
}

/** The metadata file for a ratings file, when it is there. */
export function movieMetadataPath(ratingsPath: string): string | undefined {
  const dir = dirname(ratingsPath);
  const name = basename(ratingsPath).replace(/\.gz$/, '');
  const candidates = name.startsWith('u.') ? ['u.item']
    : name.endsWith('.dat') ? ['movies.dat']
      : ['movies.csv', 'movies.csv.gz'];
  return candidates.map((c) => join(dir, c)).find((p) => existsSync(p));
}

/** ml-100k's genre columns, in order (u.genre says the same; it is read when present). */
const ML100K_GENRES = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
];

/** Titles and genres of the movies in `wanted`, and how many metadata lines could not be read. */
export async function readMovieMetadata(path: string, wanted: ReadonlySet<string>): Promise<{ movies: Map<string, MovieMeta>; unreadable: number }> {
  const name = basename(path).replace(/\.gz$/, '');
  // ml-100k and ml-1m are Latin-1 (accented titles); ml-latest is UTF-8
  const reader = openLines(path, name === 'movies.csv' ? 'utf8' : 'latin1');
  const genreNames = name === 'u.item' ? ml100kGenres(dirname(path)) : [];
  const movies = new Map<string, MovieMeta>();
  let unreadable = 0;
  let lineNo = 0;
  for await (const line of reader.lines) {
    lineNo++;
    if (line.trim() === '' || (lineNo === 1 && name === 'movies.csv')) continue;
    const meta = name === 'movies.csv' ? fromMoviesCsv(line) : name === 'u.item' ? fromUItem(line, genreNames) : fromMoviesDat(line);
    if (!meta) unreadable++;
    else if (wanted.has(meta[0])) movies.set(meta[0], meta[1]);
  }
  return { movies, unreadable };
}

/** The catalogue entry of a rated movie: its title and genres when known, else "movie <id>". */
export function movieItem(id: string, meta: MovieMeta | undefined): { id: string } & ItemInput {
  const title = meta?.title.trim() ? meta.title.trim().slice(0, 300) : `movie ${id}`;
  const tags = (meta?.genres ?? []).filter((g) => g && g !== '(no genres listed)' && g !== 'unknown').map((g) => g.slice(0, 64));
  const attributes = emptyRecord<AttributeValue>();
  const year = /\((\d{4})\)\s*$/.exec(title)?.[1];
  if (year) attributes.year = Number(year);
  return { id, title, category: 'movie', tags: [...new Set(tags)].slice(0, 100), attributes };
}

function fromMoviesCsv(line: string): [string, MovieMeta] | undefined {
  const f = parseCsvRecord(line);
  if (!f || f.length < 3) return undefined;
  return [f[0].trim(), { title: f[1], genres: f[2].split('|') }];
}

function fromMoviesDat(line: string): [string, MovieMeta] | undefined {
  const f = line.split('::');
  if (f.length < 3) return undefined;
  return [f[0].trim(), { title: f[1], genres: f[2].split('|') }];
}

function fromUItem(line: string, genreNames: string[]): [string, MovieMeta] | undefined {
  const f = line.split('|');
  if (f.length < 5) return undefined;
  const genres = f.slice(5).flatMap((flag, i) => (flag.trim() === '1' && genreNames[i] ? [genreNames[i]] : []));
  return [f[0].trim(), { title: f[1], genres }];
}

function ml100kGenres(dir: string): string[] {
  const path = join(dir, 'u.genre');
  if (!existsSync(path)) return ML100K_GENRES;
  // a 20-line file: read whole
  const names: string[] = [];
  for (const line of readFileSync(path, 'latin1').split(/\r?\n/)) {
    const [genre, index] = line.split('|');
    if (genre && index !== undefined && /^\d+$/.test(index.trim())) names[Number(index)] = genre;
  }
  return names.length > 0 ? names : ML100K_GENRES;
}
