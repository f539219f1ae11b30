/** Validated events written to the store in batches, one transaction each, tallying new and duplicate events. */
import type { VitrineEvent } from '../../core/types.ts';
import type { Store } from '../../storage/store.ts';

/** Buffers validated events and appends them `batchSize` at a time. */
export class EventBatchWriter {
  /** events newly stored */
  accepted = 0;
  /** events whose id the store had already seen */
  duplicates = 0;
  private batch: VitrineEvent[] = [];

  constructor(private readonly store: Store, private readonly batchSize: number) {}

  /** Queues one event; writes the batch when it is full. */
  async add(event: VitrineEvent): Promise<void> {
    this.batch.push(event);
    if (this.batch.length >= this.batchSize) await this.flush();
  }

  /** Writes what is queued. */
  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    const result = await this.store.appendEvents(batch);
    this.accepted += result.accepted;
    this.duplicates += result.duplicates.length;
  }
}
