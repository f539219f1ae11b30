/**
 * Garbage collection of model artifacts. Every training run writes a directory per algorithm under
 * `<dataDir>/models/`; retired and rejected versions were never removed, so the directory grew with
 * every run and kept forgotten members' ids and factors in old artifacts (issue 20). Per algorithm the
 * newest `keep` artifacts stay (models.keepVersions), and active, previous and in-progress versions
 * always do; the others' directories are removed and their registry rows lose their artifactPath (so
 * that a rollback never reaches for one). The rows themselves stay: the registry is the history. On a
 * store that holds artifact bytes (PostgreSQL) their copy there goes too.
 * TODO(scale-out): other nodes keep their cached copy of a collected version's directory until
 * their data directory is cleared; only the trainer's own copy is removed here.
 */
import { rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { ModelRecord, Store } from '../storage/store.ts';
import { deleteStoredArtifact } from './shared-artifacts.ts';

// statuses whose artifact serving may load, or training is still writing
const NEVER_COLLECTED: ReadonlySet<ModelRecord['status']> = new Set(['active', 'previous', 'training', 'candidate']);

/** Removes artifacts beyond the newest `keep` per algorithm (never active, previous or in progress); returns the versions collected. */
export async function collectArtifacts(store: Store, dataDir: string, keep: number, log: (line: string) => void = () => undefined): Promise<string[]> {
  const byAlgorithm = new Map<string, ModelRecord[]>();
  for (const record of await store.listModels()) {
    if (!record.artifactPath) continue;
    const list = byAlgorithm.get(record.algorithm) ?? [];
    list.push(record);
    byAlgorithm.set(record.algorithm, list);
  }
  const modelsDir = resolve(dataDir, 'models') + sep;
  const collected: string[] = [];
  for (const records of byAlgorithm.values()) {
    records.sort((a, b) => b.createdAt - a.createdAt || (a.version < b.version ? 1 : -1));
    for (const record of records.slice(keep)) {
      if (NEVER_COLLECTED.has(record.status) || !record.artifactPath) continue;
      const dir = resolve(dataDir, record.artifactPath);
      // a registry row pointing outside the models directory is left alone, whoever wrote it
      if (!dir.startsWith(modelsDir)) continue;
      await rm(dir, { recursive: true, force: true });
      await deleteStoredArtifact(store, record.version);
      const { artifactPath: _removed, ...rest } = record;
      await store.putModel({ ...rest, note: `${record.note ? `${record.note}; ` : ''}artifact removed (models.keepVersions = ${keep})` });
      collected.push(record.version);
    }
  }
  if (collected.length > 0) log(`removed ${collected.length} old model artifact(s) from ${join(dataDir, 'models')}: ${collected.join(', ')}`);
  return collected;
}
