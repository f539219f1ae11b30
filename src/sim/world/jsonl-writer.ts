/**
 * A buffered JSON-lines file writer with backpressure: records are serialised into a chunk and the
 * chunk is handed to the file stream when it passes a size; when the stream's buffer is full the
 * writer waits for 'drain', so memory stays bounded however many records go through it.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

const CHUNK_BYTES = 1 << 20;

/** Writes records as JSON lines to one file, in large chunks, waiting for the disk when it lags. */
export class JsonlWriter {
  private readonly stream: WriteStream;
  private parts: string[] = [];
  private pendingChars = 0;
  private error: Error | undefined;
  private closing: Promise<void> | undefined;
  /** lines written so far */
  lines = 0;

  /** Opens (truncates) `path` for writing. */
  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { highWaterMark: 4 * CHUNK_BYTES });
    this.stream.on('error', (err) => {
      this.error = err;
    });
  }

  /** Appends one record as a line; resolves at once unless a chunk had to wait for the disk. */
  async write(record: unknown): Promise<void> {
    const line = JSON.stringify(record);
    this.parts.push(line, '\n');
    this.pendingChars += line.length + 1;
    this.lines++;
    if (this.pendingChars >= CHUNK_BYTES) await this.flush();
  }

  /** Appends many records, one line each. */
  async writeAll(records: Iterable<unknown>): Promise<void> {
    for (const r of records) {
      const line = JSON.stringify(r);
      this.parts.push(line, '\n');
      this.pendingChars += line.length + 1;
      this.lines++;
      // awaiting only when a chunk is full keeps the per-record cost a plain function call
      if (this.pendingChars >= CHUNK_BYTES) await this.flush();
    }
  }

  /** Hands the buffered lines to the stream, waiting for 'drain' when its buffer is full. */
  async flush(): Promise<void> {
    if (this.error) throw this.error;
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.pendingChars = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
    if (this.error) throw this.error;
  }

  /** Flushes and closes the file; resolves once every byte is written. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flush();
      this.stream.end();
      await finished(this.stream);
      if (this.error) throw this.error;
    })();
    return this.closing;
  }
}
