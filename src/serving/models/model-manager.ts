/**
 * The models serving uses: for each algorithm the registry's active version (current) and the one
 * before it (previous, kept loaded for the fallback chain). Swapping is a reference swap, so a request
 * in flight finishes on the model it started with and no request is dropped. A version is loaded —
 * checksums verified — before the registry or serving points at it: a corrupt artifact never replaces
 * a working model. Reload, activate and rollback run one at a time. The primary algorithm (for-you,
 * fold-in) is the registry's champion (pipeline/champion.ts) unless the config pins one.
 * Registry changes made by another process (`vitrine train`, another node) reach it as a reload: on
 * PostgreSQL through the store's change feed (serving/store-changes.ts, ADR 0024), within a poll
 * interval at worst; on SQLite, at the next training job, activate, rollback or restart. A version
 * trained elsewhere is fetched from the store first (pipeline/shared-artifacts.ts).
 */
import { join } from 'node:path';
import { emptyRecord } from '../../core/dictionary.ts';
import { VitrineError } from '../../core/errors.ts';
import { getTrainer } from '../../ml/registry.ts';
import { recordedChampion } from '../../pipeline/champion.ts';
import { materializeArtifact } from '../../pipeline/shared-artifacts.ts';
import { demotedFor } from '../../pipeline/registry-transitions.ts';
import type { ModelRecord, Store } from '../../storage/store.ts';
import type { ModelHandle, ModelManager } from '../engine/contracts.ts';
import { type AnnRetrievalOptions, prepareRetrieval } from './ann-retrieval.ts';
import { withFault, type FaultMode } from './fault-injection.ts';
import type { SharedPayloads } from './shared-payloads.ts';

export interface ModelManagerOptions {
  store: Store;
  /** artifacts live under it (ModelRecord.artifactPath is relative to it) */
  dataDir: string;
  /** serving.primaryAlgorithm: an algorithm pins it; `auto` follows the registry's champion */
  primaryAlgorithm: string;
  /** VITRINE_FAULT: wraps every current model (tests only) */
  fault?: FaultMode;
  /** ANN retrieval for models that rank large catalogues (ann-retrieval.ts); none: always exact */
  ann?: AnnRetrievalOptions;
  log?: (message: string) => void;
  /** informational lines (an ANN index built) */
  info?: (message: string) => void;
  /** typed payloads shared with other threads (ADR 0011); none: each load reads its own copy */
  payloads?: SharedPayloads;
  /**
   * false: a registry-only manager (the HTTP thread's while page workers serve, ADR 0013) — each
   * version is loaded and verified, its payloads kept for the workers, and the model let go:
   * current() and previous() answer nothing. Default true.
   */
  retainModels?: boolean;
}

/**
 * A loaded version: its registry record, the model, and the handle serving gets (fault-wrapped or
 * not); a registry-only manager keeps the record alone.
 */
interface Loaded {
  record: ModelRecord;
  handle?: ModelHandle;
  served?: ModelHandle;
}

const ROLLED_BACK = 'rolled back';

/** errors of fetchArtifact: a node-local failure, never a reason to reject the version */
const fetchFailures = new WeakSet<object>();

/** `serving.primaryAlgorithm` that follows the champion. */
export const AUTO_PRIMARY = 'auto';

/** With no champion recorded (no gate ran, or a registry older than champions): the first loaded of these. */
export const PRIMARY_WITHOUT_CHAMPION = ['hybrid', 'ease', 'als', 'item-knn', 'popularity-recent', 'popularity'];

export class RegistryModelManager implements ModelManager {
  private championAlgorithm?: string;
  private readonly currents = new Map<string, Loaded>();
  private readonly previouses = new Map<string, Loaded>();
  private queue: Promise<unknown> = Promise.resolve();
  private swaps = 0;
  private readonly log: (message: string) => void;

  constructor(private readonly opts: ModelManagerOptions) {
    this.log = opts.log ?? (() => undefined);
  }

  /** The algorithm of for-you: the pinned one, else the champion, else the first loaded of PRIMARY_WITHOUT_CHAMPION. */
  get primaryAlgorithm(): string {
    if (this.opts.primaryAlgorithm !== AUTO_PRIMARY) return this.opts.primaryAlgorithm;
    if (this.championAlgorithm && this.currents.has(this.championAlgorithm)) return this.championAlgorithm;
    return PRIMARY_WITHOUT_CHAMPION.find((a) => this.currents.has(a)) ?? PRIMARY_WITHOUT_CHAMPION[0];
  }

  /** The pinned primary algorithm (serving.primaryAlgorithm), or undefined when it follows the champion. */
  get pinnedAlgorithm(): string | undefined {
    return this.opts.primaryAlgorithm === AUTO_PRIMARY ? undefined : this.opts.primaryAlgorithm;
  }

  /** The active model of an algorithm (the primary one when omitted). */
  current(algorithm = this.primaryAlgorithm): ModelHandle | undefined {
    return this.currents.get(algorithm)?.served;
  }

  /** The version active before the current one, never fault-wrapped (it is where the fallback chain goes). */
  previous(algorithm = this.primaryAlgorithm): ModelHandle | undefined {
    return this.previouses.get(algorithm)?.handle;
  }

  /** Algorithms with a loaded current version. */
  algorithms(): string[] {
    return [...this.currents.keys()];
  }

  /** What is loaded, per algorithm (for GET /v1/models). */
  serving(): Record<string, { current?: string; previous?: string }> {
    const out = emptyRecord<{ current?: string; previous?: string }>();
    for (const [a, l] of this.currents) out[a] = { current: l.record.version };
    for (const [a, l] of this.previouses) out[a] = { ...out[a], previous: l.record.version };
    return out;
  }

  /** Loads the registry's active and previous versions, keeping what is already loaded. */
  reload(): Promise<void> {
    return this.serially(() => this.syncWithRegistry());
  }

  /** Makes `version` its algorithm's active model (the active one becomes previous). */
  activate(version: string): Promise<ModelRecord> {
    return this.serially(async () => {
      const { store } = this.opts;
      const record = await store.getModel(version);
      if (!record) throw new VitrineError('VITRINE_MODEL_NOT_FOUND', `no model version "${version}"`);
      if (!record.artifactPath) {
        throw new VitrineError('VITRINE_MODEL_NOT_ACTIVATABLE', `model "${version}" is ${record.status} and has no artifact`);
      }
      const running = this.currents.get(record.algorithm);
      if (running?.record.version === version) return running.record;
      const loaded = this.previouses.get(record.algorithm)?.record.version === version
        ? this.previouses.get(record.algorithm) as Loaded
        : await this.loadOrReject(record);
      const active: ModelRecord = { ...record, status: 'active' };
      await store.putModels([...demotedFor(await store.listModels(), record.algorithm, version), active]);
      this.swap(record.algorithm, { ...loaded, record: active }, running && { ...running, record: { ...running.record, status: 'previous' } });
      this.log(`model ${version} (${record.algorithm}) activated${running ? `; ${running.record.version} is previous` : ''}`);
      return active;
    });
  }

  /** Puts the previous version back in service; the current one is retired. 409 when there is none. */
  rollback(algorithm = this.primaryAlgorithm): Promise<{ active: ModelRecord; retired?: ModelRecord }> {
    return this.serially(async () => {
      const { store } = this.opts;
      const prev = this.previouses.get(algorithm);
      if (!prev) throw new VitrineError('VITRINE_MODEL_NO_PREVIOUS', `no previous ${algorithm} version is loaded to roll back to`);
      const running = this.currents.get(algorithm);
      const active: ModelRecord = { ...prev.record, status: 'active' };
      const retired: ModelRecord | undefined = running && { ...running.record, status: 'retired', note: `${ROLLED_BACK} to ${prev.record.version}` };
      // the next version back, if one still loads, becomes the new previous
      const older = (await store.listModels()).find((r) => r.algorithm === algorithm && r.status === 'retired' && r.artifactPath
        && r.version !== prev.record.version && r.version !== running?.record.version && !r.note?.startsWith(ROLLED_BACK));
      const olderLoaded = older && await this.tryLoad(older);
      if (olderLoaded) olderLoaded.record = { ...olderLoaded.record, status: 'previous' };
      await store.putModels([active, ...(retired ? [retired] : []), ...(olderLoaded ? [olderLoaded.record] : [])]);
      this.swap(algorithm, { ...prev, record: active }, olderLoaded);
      this.log(`model ${algorithm} rolled back to ${prev.record.version}${running ? ` (${running.record.version} retired)` : ''}`);
      return retired ? { active, retired } : { active };
    });
  }

  private async syncWithRegistry(): Promise<void> {
    const { store } = this.opts;
    const records = await store.listModels(); // newest first
    const champion = recordedChampion(records)?.algorithm;
    if (champion !== this.championAlgorithm) {
      this.championAlgorithm = champion;
      this.swaps++; // rows cached under the old primary must not be reused
    }
    const algorithms = new Set(records.filter((r) => r.status === 'active' || r.status === 'previous').map((r) => r.algorithm));
    for (const gone of [...this.currents.keys()]) if (!algorithms.has(gone)) this.swap(gone, undefined, undefined);
    for (const algorithm of algorithms) {
      const active = records.find((r) => r.algorithm === algorithm && r.status === 'active');
      const prev = records.find((r) => r.algorithm === algorithm && r.status === 'previous');
      const running = this.currents.get(algorithm);
      let current = active ? await this.reuseOrLoad(active) : undefined;
      let previous = prev && prev.version !== current?.record.version ? await this.reuseOrLoad(prev) : undefined;
      if (active && !current) {
        // keep serving what works: the running version, else the previous one; the registry says so too
        const fallback = running ?? previous;
        if (fallback) {
          current = { ...fallback, record: { ...fallback.record, status: 'active' } };
          await store.putModel(current.record);
          if (fallback === previous) previous = undefined;
          this.log(`model ${active.version} (${algorithm}) did not load; still serving ${current.record.version}`);
        }
      }
      this.swap(algorithm, current, previous);
    }
  }

  private async reuseOrLoad(record: ModelRecord): Promise<Loaded | undefined> {
    for (const l of [this.currents.get(record.algorithm), this.previouses.get(record.algorithm)]) {
      if (l?.record.version === record.version) return { ...l, record };
    }
    return this.tryLoad(record);
  }

  /** The loaded version, or undefined (logged, and the record marked rejected) when it does not load. */
  private async tryLoad(record: ModelRecord): Promise<Loaded | undefined> {
    try {
      return await this.loadOrReject(record);
    } catch (err) {
      // this node could not fetch it: nothing is decided about the version (a later reload retries)
      if (fetchFailures.has(err as object)) throw err;
      return undefined;
    }
  }

  private async loadOrReject(record: ModelRecord): Promise<Loaded> {
    if (record.artifactPath) await this.fetchArtifact(record.version, record.artifactPath);
    try {
      if (!record.artifactPath) throw new VitrineError('VITRINE_MODEL_NOT_ACTIVATABLE', `model "${record.version}" has no artifact`);
      const pool = this.opts.payloads?.forVersion(record.version);
      const model = await getTrainer(record.algorithm).load(join(this.opts.dataDir, record.artifactPath), pool ? { pool } : undefined);
      // verified and its payloads pooled: a registry-only manager needs no more of it
      if (this.opts.retainModels === false) return { record };
      const annLine = prepareRetrieval(model, record.version, this.opts.ann);
      if (annLine) (this.opts.info ?? this.log)(annLine);
      // like the ANN index: once, as it loads, not in the first request that needs it
      model.prepareForServing?.();
      const handle: ModelHandle = { version: record.version, algorithm: record.algorithm, model };
      const served = this.opts.fault ? { ...handle, model: withFault(model, this.opts.fault) } : handle;
      return { record, handle, served };
    } catch (err) {
      const reason = err instanceof VitrineError ? `${err.code}: ${err.message}` : String(err);
      this.log(`model ${record.version} (${record.algorithm}) refused: ${reason}`);
      if (record.artifactPath) await this.opts.store.putModel({ ...record, status: 'rejected', note: `artifact failed to load: ${reason}` });
      throw err instanceof VitrineError ? err : new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', reason, undefined, { cause: err });
    }
  }

  /**
   * A version trained on another machine is fetched from the store into the data directory first
   * (ADR 0024). A failure here is this node's (the store unreachable, its disk full), not the
   * version's: it is never marked rejected for it, in a registry every node shares.
   */
  private async fetchArtifact(version: string, artifactPath: string): Promise<void> {
    try {
      await materializeArtifact(this.opts.store, this.opts.dataDir, version, artifactPath);
    } catch (err) {
      this.log(`model ${version} could not be fetched from the store: ${(err as Error).message}`);
      const failure = err instanceof Error ? err : new Error(String(err));
      fetchFailures.add(failure);
      throw failure;
    }
  }

  /** Moves on every swap (what cached page rows depend on). */
  get generation(): number {
    return this.swaps;
  }

  private swap(algorithm: string, current: Loaded | undefined, previous: Loaded | undefined): void {
    if (this.currents.get(algorithm) !== current || this.previouses.get(algorithm) !== previous) this.swaps++;
    if (current) this.currents.set(algorithm, current);
    else this.currents.delete(algorithm);
    if (previous) this.previouses.set(algorithm, previous);
    else this.previouses.delete(algorithm);
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    // after the whole task, not per swap: buffers handed over for an algorithm not yet loaded must stay
    const retain = () => this.opts.payloads?.retain([...this.currents.values(), ...this.previouses.values()].map((l) => l.record.version));
    const run = this.queue.then(task, task).finally(retain);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
