import type { Store } from './store.ts';

/** One file of a model artifact directory: its name inside the directory and its bytes. */
export interface ArtifactFile {
  name: string;
  bytes: Buffer;
}

/**
 * A store that holds model artifact bytes itself, so that a version trained on one machine loads on
 * every node (PostgreSQL, ADR 0024). SQLite has no such capability: its artifacts stay in the data
 * directory beside the database file.
 */
export interface ArtifactStore {
  /** Stores a version's files in one transaction, replacing any stored before. */
  putArtifact(version: string, files: readonly ArtifactFile[]): Promise<void>;
  /** The version's files, or null when none are stored. */
  getArtifact(version: string): Promise<ArtifactFile[] | null>;
  /** Removes the version's files (models.keepVersions collection); false when none were stored. */
  deleteArtifact(version: string): Promise<boolean>;
}

/** The store's artifact capability, or undefined when artifacts live in the data directory only. */
export function artifactStoreOf(store: Store): ArtifactStore | undefined {
  const s = store as Partial<ArtifactStore>;
  return typeof s.putArtifact === 'function' && typeof s.getArtifact === 'function' && typeof s.deleteArtifact === 'function'
    ? store as Store & ArtifactStore : undefined;
}
