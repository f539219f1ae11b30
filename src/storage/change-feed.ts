import type { Item } from '../core/types.ts';
import type { Store } from './store.ts';

/** What a node does with changes another process wrote to the shared store. */
export interface ChangeHandlers {
  /** catalogued items written (created, changed, retired, restocked) since the last call */
  items(items: Item[]): Promise<void>;
  /** the model registry changed (a version activated, rolled back, trained, a new champion) */
  registry(): Promise<void>;
}

export interface ChangeFeedOptions {
  /** the safety net under push notifications: how often the store is asked for changes, ms */
  pollIntervalMs: number;
  log?: (line: string) => void;
}

/** A running feed: changes are taken from `open` on, delivered once `start` names the handlers. */
export interface ChangeFeed {
  start(handlers: ChangeHandlers): void;
  /** Resolves once every change committed before the call has been delivered (tests, shutdown). */
  catchUp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A store that tells every node what other nodes wrote (PostgreSQL LISTEN/NOTIFY plus polling, ADR
 * 0024). A single-process store (SQLite) has none: its one server is the only writer it serves.
 */
export interface ChangeFeedSource {
  /** Opens a feed whose baseline is now: call it before loading the state it keeps current. */
  openChangeFeed(opts: ChangeFeedOptions): Promise<ChangeFeed>;
}

export function changeFeedOf(store: Store): ChangeFeedSource | undefined {
  const s = store as Partial<ChangeFeedSource>;
  return typeof s.openChangeFeed === 'function' ? store as Store & ChangeFeedSource : undefined;
}
