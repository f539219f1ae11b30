/**
 * Group commit: appends that arrive while the event loop is busy (several requests in flight) are
 * written in ONE store transaction and each caller gets back exactly its own result, as if the calls
 * had run one after the other in arrival order. On SQLite most of a commit's cost is writing the
 * index pages it dirtied to the WAL, so one commit of 4,000 events costs far less than eight of 500.
 * A caller still resolves only after the commit that holds its events: durability is unchanged.
 */
import { VitrineError } from '../core/errors.ts';
import type { VitrineEvent } from '../core/types.ts';
import type { AppendResult, Store } from '../storage/store.ts';

interface PendingAppend {
  events: readonly VitrineEvent[];
  resolve: (result: AppendResult) => void;
  reject: (err: unknown) => void;
}

/** Above this many events a group is cut (whole calls only), bounding one transaction's duration. */
export const MAX_GROUP_EVENTS = 16_384;

/** Coalesces concurrent appends into shared store transactions (see the file comment). */
export class GroupCommitter {
  private queue: PendingAppend[] = [];
  private draining = false;

  constructor(private readonly store: Pick<Store, 'appendEvents'>, private readonly maxGroupEvents = MAX_GROUP_EVENTS) {}

  /** Appends `events` (with every call queued alongside) and resolves with this call's own result. */
  append(events: readonly VitrineEvent[]): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // after the current I/O phase, so requests parsed in the same turn join this group
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.takeGroup();
        try {
          await this.commit(group);
        } catch (err) {
          // commit settles every call itself; this only guards against a caller waiting forever
          for (const call of group) call.reject(err);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private takeGroup(): PendingAppend[] {
    let n = 1;
    let events = this.queue[0].events.length;
    while (n < this.queue.length && events + this.queue[n].events.length <= this.maxGroupEvents) {
      events += this.queue[n].events.length;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async commit(group: PendingAppend[]): Promise<void> {
    if (group.length === 1) return settle(group[0], () => this.store.appendEvents(group[0].events));
    const all: VitrineEvent[] = [];
    for (const call of group) for (const e of call.events) all.push(e);
    let result: AppendResult;
    try {
      result = await this.store.appendEvents(all);
    } catch (err) {
      // nothing of the group was written. A busy store fails everyone at once (retrying alone would
      // wait out the busy timeout again per call); any other failure is retried call by call, so one
      // call that overflows the store does not fail the calls that happened to share its commit
      if (err instanceof VitrineError && err.code === 'VITRINE_STORE_BUSY') {
        for (const call of group) call.reject(err);
        return;
      }
      for (const call of group) await settle(call, () => this.store.appendEvents(call.events));
      return;
    }
    splitResult(group, result);
  }
}

async function settle(call: PendingAppend, append: () => Promise<AppendResult>): Promise<void> {
  try {
    call.resolve(await append());
  } catch (err) {
    call.reject(err);
  }
}

/** Hands each call its share of the group's duplicate indexes, renumbered from its own first event. */
function splitResult(group: readonly PendingAppend[], result: AppendResult): void {
  const duplicates = result.duplicates.length > 1 ? [...result.duplicates].sort((a, b) => a - b) : result.duplicates;
  let d = 0;
  let offset = 0;
  for (const call of group) {
    const end = offset + call.events.length;
    const own: number[] = [];
    while (d < duplicates.length && duplicates[d] < end) own.push(duplicates[d++] - offset);
    call.resolve({ accepted: call.events.length - own.length, duplicates: own });
    offset = end;
  }
}
