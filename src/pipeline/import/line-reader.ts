/**
 * A file read line by line, never whole: a read stream (gunzipped on the fly when the file is gzip)
 * under readline, counting the bytes read from disk so that progress is measured against the file size.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { VitrineError } from '../../core/errors.ts';

export interface LineReader {
  /** physical lines without their line ending (a leading byte-order mark is dropped) */
  lines: AsyncIterable<string>;
  /** bytes read from disk so far: compressed bytes for a gzip file */
  bytesRead(): number;
  /** the file's size on disk */
  totalBytes: number;
  /** the file's base name, for messages */
  name: string;
}

/** Opens `path` for streaming; throws VITRINE_IMPORT_FILE_NOT_FOUND when it is missing or not a file. */
export function openLines(path: string, encoding: BufferEncoding = 'utf8'): LineReader {
  const totalBytes = fileSize(path);
  const raw = createReadStream(path);
  let bytes = 0;
  raw.on('data', (chunk) => { bytes += chunk.length; });
  let text: Readable = raw;
  if (isGzip(path)) {
    const gunzip = createGunzip();
    // .pipe() does not forward errors: a read error must end the line stream, not hang it
    raw.on('error', (err) => gunzip.destroy(err));
    text = raw.pipe(gunzip);
  }
  text.setEncoding(encoding);
  const rl = createInterface({ input: text, crlfDelay: Infinity });
  return { lines: guardedLines(rl, raw, path), bytesRead: () => bytes, totalBytes, name: basename(path) };
}

async function* guardedLines(rl: AsyncIterable<string> & { close(): void }, raw: Readable, path: string): AsyncGenerator<string> {
  let first = true;
  try {
    for await (const line of rl) {
      if (first) {
        first = false;
        yield line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
      } else {
        yield line;
      }
    }
  } catch (err) {
    throw new VitrineError('VITRINE_IMPORT_UNREADABLE', `${path}: ${(err as Error).message}`, undefined, { cause: err });
  } finally {
    rl.close();
    raw.destroy();
  }
}

/** Size of a regular file, or VITRINE_IMPORT_FILE_NOT_FOUND. */
export function fileSize(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new VitrineError('VITRINE_IMPORT_FILE_NOT_FOUND', `${path} does not exist`);
  }
  if (!stat.isFile()) throw new VitrineError('VITRINE_IMPORT_FILE_NOT_FOUND', `${path} is not a file`);
  return stat.size;
}

/** A `.gz` name or the gzip magic bytes (a gzip file renamed without its suffix still reads). */
function isGzip(path: string): boolean {
  if (path.endsWith('.gz')) return true;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}
