/**
 * Appending a batch of events: one statement, so one round trip and one commit per batch. The events
 * go in through `unnest` of one array per column, in batch order; `ON CONFLICT (id) DO NOTHING` skips
 * an id already stored or met earlier in the same statement, and `RETURNING id` says which rows went
 * in, so duplicates are counted by the database even across concurrent batches. Members and items
 * first seen (items as placeholders, ADR 0001) are created by the same statement, hence the same
 * transaction; they are inserted in id order so that two batches never wait on each other in a cycle.
 */
import type pg from 'pg';
import type { VitrineEvent } from '../../core/types.ts';
import type { AppendResult } from '../store.ts';
import { columnsOf, EVENT_COLUMN_TYPES, EVENT_COLUMNS, eventParams } from './rows.ts';

const WIDTH = EVENT_COLUMNS.length;
const COLUMN_LIST = EVENT_COLUMNS.join(', ');
const UNNEST_ARGS = EVENT_COLUMN_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
const NOW_PARAM = `$${WIDTH + 1}::bigint`;

function appendSql(knownMembersOnly: boolean): string {
  return `
  WITH input AS (
    SELECT * FROM unnest(${UNNEST_ARGS}) WITH ORDINALITY AS u(${COLUMN_LIST}, ord)
  ), inserted AS (
    INSERT INTO events (${COLUMN_LIST})
    SELECT ${COLUMN_LIST} FROM input
    ${knownMembersOnly ? 'WHERE EXISTS (SELECT 1 FROM users WHERE users.id = input.user_id)' : ''}
    ORDER BY ord
    ON CONFLICT (id) DO NOTHING
    RETURNING id, user_id, item_id
  ), new_users AS (
    INSERT INTO users (id, created_at, updated_at)
    SELECT DISTINCT user_id, ${NOW_PARAM}, ${NOW_PARAM} FROM inserted ORDER BY user_id
    ON CONFLICT (id) DO NOTHING
  ), new_items AS (
    INSERT INTO items (id, title, category, placeholder, created_at, updated_at)
    SELECT DISTINCT item_id, item_id, 'unknown', true, ${NOW_PARAM}, ${NOW_PARAM} FROM inserted
    WHERE item_id IS NOT NULL ORDER BY item_id
    ON CONFLICT (id) DO NOTHING
  )
  SELECT id FROM inserted`;
}

const APPEND_SQL = appendSql(false);
// a served page's impression events: a read never creates a member, so events of unknown members are skipped
const APPEND_KNOWN_MEMBERS_SQL = appendSql(true);

/**
 * Inserts the events (in the caller's transaction, or as a transaction of its own) and returns which
 * indexes were duplicates. `knownMembersOnly`: events of members the store does not hold are skipped
 * (not stored; reported among the duplicates, which that caller ignores).
 */
export async function insertEvents(
  db: pg.Pool | pg.PoolClient, events: ReadonlyArray<VitrineEvent>, now: number, knownMembersOnly = false,
): Promise<AppendResult> {
  if (events.length === 0) return { accepted: 0, duplicates: [] };
  const params = [...columnsOf(events.map(eventParams), WIDTH), now];
  const { rows } = await db.query<{ id: string }>({ text: knownMembersOnly ? APPEND_KNOWN_MEMBERS_SQL : APPEND_SQL, values: params });
  // the database inserted the first of each id in batch order (ORDER BY ord): later ones are duplicates
  const inserted = new Set<string>();
  for (const r of rows) inserted.add(r.id);
  const duplicates: number[] = [];
  for (let i = 0; i < events.length; i++) {
    if (!inserted.delete(events[i].id)) duplicates.push(i);
  }
  return { accepted: events.length - duplicates.length, duplicates };
}
