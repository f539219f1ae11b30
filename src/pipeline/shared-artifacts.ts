/**
 * Model artifacts shared through the store (ADR 0024). On a store that holds artifact bytes
 * (PostgreSQL), training publishes each version's directory into it, and a node that lacks the
 * directory — another machine, a fresh container — recreates it from the store before loading; the
 * data directory is then a cache, verified by the manifest's checksums on every load as before. On
 * SQLite nothing changes: the directory is the artifact.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { VitrineError } from '../core/errors.ts';
import { artifactStoreOf, type ArtifactFile } from '../storage/artifact-store.ts';
import type { Store } from '../storage/store.ts';

/** Copies the version's artifact directory into the store, when the store holds artifacts. */
export async function publishArtifact(store: Store, dataDir: string, version: string, artifactPath: string): Promise<void> {
  const artifacts = artifactStoreOf(store);
  if (!artifacts) return;
  const dir = join(dataDir, artifactPath);
  const files: ArtifactFile[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.push({ name: relative(dir, path).split(sep).join('/'), bytes: await readFile(path) });
  }
  await artifacts.putArtifact(version, files);
}

/**
 * Makes sure the version's directory exists under the data directory, recreating it from the store
 * when it is missing there. Written beside it and renamed into place, so a crash never leaves a half
 * directory that looks whole; loading still verifies every checksum.
 */
export async function materializeArtifact(store: Store, dataDir: string, version: string, artifactPath: string): Promise<void> {
  const dir = resolve(dataDir, artifactPath);
  if (existsSync(join(dir, 'manifest.json'))) return;
  const artifacts = artifactStoreOf(store);
  if (!artifacts) return;
  const files = await artifacts.getArtifact(version);
  if (!files) return; // the load that follows reports the missing artifact
  const staging = `${dir}.incoming-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  for (const file of files) {
    const target = resolve(staging, file.name);
    if (!target.startsWith(staging + sep)) {
      throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', `model "${version}": stored artifact file "${file.name}" points outside its directory`);
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.bytes);
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dirname(dir), { recursive: true });
  await rename(staging, dir);
}

/** Removes the version's bytes from the store (models.keepVersions), when the store holds artifacts. */
export async function deleteStoredArtifact(store: Store, version: string): Promise<void> {
  await artifactStoreOf(store)?.deleteArtifact(version);
}
