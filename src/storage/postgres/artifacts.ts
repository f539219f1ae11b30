/**
 * Model artifact bytes in PostgreSQL (ADR 0024): one row per chunk of at most CHUNK_BYTES, so that no
 * single bytea value (or the node-postgres message carrying it) grows with the model; a version's
 * chunks are written in one transaction, so a node never reads half an artifact.
 */
import type pg from 'pg';
import type { ArtifactFile } from '../artifact-store.ts';
import { guardPg as guard } from './pg-errors.ts';
import { withClient } from './transaction.ts';

/** 8 MiB: far below bytea's 1 GB limit, large enough that a 100 MB model is a dozen round trips. */
export const CHUNK_BYTES = 8 * 1024 * 1024;

export async function putArtifactRows(pool: pg.Pool, version: string, files: readonly ArtifactFile[], chunkBytes = CHUNK_BYTES): Promise<void> {
  await withClient(pool, async (client) => {
    await client.query('DELETE FROM model_artifacts WHERE version = $1', [version]);
    for (const file of files) {
      // an empty file is still one (empty) chunk, so that it is recreated on load
      for (let chunk = 0, at = 0; chunk === 0 || at < file.bytes.length; chunk++, at += chunkBytes) {
        await client.query('INSERT INTO model_artifacts (version, file, chunk, bytes) VALUES ($1, $2, $3, $4)',
          [version, file.name, chunk, file.bytes.subarray(at, at + chunkBytes)]);
      }
    }
  });
}

export async function getArtifactRows(pool: pg.Pool, version: string): Promise<ArtifactFile[] | null> {
  // chunk by chunk: the whole artifact is never one result set held twice in memory
  const { rows: index } = await guard(() => pool.query<{ file: string; chunks: number }>(
    'SELECT file, count(*)::int AS chunks FROM model_artifacts WHERE version = $1 GROUP BY file ORDER BY file', [version]));
  if (index.length === 0) return null;
  const files: ArtifactFile[] = [];
  for (const { file, chunks } of index) {
    const parts: Buffer[] = [];
    for (let chunk = 0; chunk < chunks; chunk++) {
      const { rows } = await guard(() => pool.query<{ bytes: Buffer }>(
        'SELECT bytes FROM model_artifacts WHERE version = $1 AND file = $2 AND chunk = $3', [version, file, chunk]));
      parts.push(rows[0].bytes);
    }
    files.push({ name: file, bytes: Buffer.concat(parts) });
  }
  return files;
}

export async function deleteArtifactRows(pool: pg.Pool, version: string): Promise<boolean> {
  const { rowCount } = await guard(() => pool.query('DELETE FROM model_artifacts WHERE version = $1', [version]));
  return (rowCount ?? 0) > 0;
}
