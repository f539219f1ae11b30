/**
 * The simulation's store: in-memory SQLite that logs each served page as its page record only — what
 * record-impression.ts recommends for high-traffic deployments (`itemEvents: false`). Per-item
 * impression events cost ~15% of a simulated visit's CPU (measured, docs/simulator.md), the
 * experiment report counts the same either way, and the simulator counts what was shown itself.
 * TODO(config): serving has no setting for itemEvents (attachPageEngine always writes them); with one,
 * this subclass would become a config line.
 */
import type { VitrineEvent } from '../../core/types.ts';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import type { ImpressionRecord } from '../../storage/store.ts';

export class PageLogStore extends SqliteStore {
  constructor() {
    super(':memory:');
  }

  override putImpressionWithEvents(record: ImpressionRecord, _events: ReadonlyArray<VitrineEvent>): Promise<void> {
    return super.putImpressionWithEvents(record, []);
  }

  override putImpressionsWithEvents(pages: ReadonlyArray<{ record: ImpressionRecord; events: ReadonlyArray<VitrineEvent> }>): Promise<void> {
    return super.putImpressionsWithEvents(pages.map(({ record }) => ({ record, events: [] })));
  }
}
