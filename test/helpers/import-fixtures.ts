/** Temp SQLite stores and fixture paths for the importer tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import type { ImportSummary } from '../../src/pipeline/import/index.ts';

/** Absolute path of a file under test/fixtures/import/. */
export const fixture = (...parts: string[]): string => fileURLToPath(new URL(join('../fixtures/import', ...parts), import.meta.url));

/** A temp directory removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let count = 0;
/** A fresh SQLite store in `dir`. */
export function freshStore(dir: string): SqliteStore {
  return new SqliteStore(join(dir, `store-${count++}.db`));
}

/** Bad rows as `line code` strings, the shape the assertions compare. */
export function badLines(s: ImportSummary): string[] {
  return s.badRows.first.map((b) => `${b.line} ${b.code}`);
}
