/**
 * The ingest path: validate each event on its own, append the valid ones durably in one transaction,
 * then hand them to listeners (online member state) before the caller acknowledges. One bad event
 * never rejects its batch; a store failure rejects the whole call (nothing is acknowledged unwritten).
 * Concurrent calls share one store transaction (group commit, see group-commit.ts).
 */
import { isRejection, validateEvent } from '../core/validate-event.ts';
import type { ErrorCode } from '../core/errors.ts';
import type { VitrineEvent } from '../core/types.ts';
import type { Store } from '../storage/store.ts';
import { GroupCommitter } from './group-commit.ts';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; code: ErrorCode; message: string }>;
}

/** Called with the events just made durable (duplicates excluded), before the ingest call returns. */
export type IngestListener = (events: readonly VitrineEvent[]) => void | Promise<void>;

export interface IngestOptions {
  futureToleranceMs: number;
  clock?: () => number;
}

export class EventIngestor {
  private readonly listeners: IngestListener[] = [];
  private readonly clock: () => number;
  private readonly committer: GroupCommitter;

  constructor(store: Store, private readonly opts: IngestOptions) {
    this.clock = opts.clock ?? Date.now;
    this.committer = new GroupCommitter(store);
  }

  /** Registers a listener (e.g. online member state) that sees every accepted event. */
  onAccepted(listener: IngestListener): void {
    this.listeners.push(listener);
  }

  /** Validates, stores and publishes a batch of raw events. Resolves once they are durable. */
  async ingest(raw: readonly unknown[]): Promise<IngestResult> {
    const now = this.clock();
    const valid: VitrineEvent[] = [];
    const rejected: IngestResult['rejected'] = [];
    for (let i = 0; i < raw.length; i++) {
      const result = validateEvent(raw[i], { now, futureToleranceMs: this.opts.futureToleranceMs });
      if (isRejection(result)) rejected.push({ index: i, code: result.code, message: result.message });
      else valid.push(result);
    }
    let duplicates = 0;
    let accepted = 0;
    if (valid.length > 0) {
      const appended = await this.committer.append(valid);
      duplicates = appended.duplicates.length;
      accepted = appended.accepted;
      const fresh = duplicates === 0 ? valid : dropIndexes(valid, appended.duplicates);
      for (const listener of this.listeners) await listener(fresh);
    }
    return { accepted, duplicates, rejected };
  }
}

function dropIndexes<T>(list: readonly T[], indexes: readonly number[]): T[] {
  const drop = new Set(indexes);
  return list.filter((_, i) => !drop.has(i));
}
