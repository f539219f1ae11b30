/**
 * Upserting members where an update keeps the fields it omits, safely against concurrent writers: the
 * missing rows are inserted first (a concurrent insert of the same id waits for this transaction, or
 * is already there), then every row is updated with the fields given, each `coalesce`d with the row's
 * latest value. One round trip per statement, whatever the batch size.
 */
import type pg from 'pg';
import type { UserInput } from '../../core/types.ts';
import type { UpsertOutcome } from '../store.ts';

const INSERT_MISSING_SQL = `
  INSERT INTO users (id, created_at, updated_at)
  SELECT id, $2, $2 FROM unnest($1::text[]) AS u(id) ORDER BY id
  ON CONFLICT (id) DO NOTHING RETURNING id`;

const UPDATE_GIVEN_SQL = `
  UPDATE users SET sizes = coalesce(u.sizes, users.sizes), attributes = coalesce(u.attributes, users.attributes),
    preferences = coalesce(u.preferences, users.preferences), upcoming = coalesce(u.upcoming, users.upcoming),
    updated_at = $6
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, sizes, attributes, preferences, upcoming)
  WHERE users.id = u.id`;

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

/** Upserts the members inside the caller's transaction; returns each input's outcome, as if applied one by one. */
export async function upsertUsersIn(
  client: pg.PoolClient, users: ReadonlyArray<{ id: string; input: UserInput }>, now: number,
): Promise<UpsertOutcome[]> {
  // one row per id, later inputs' given fields over earlier ones (what applying them in turn leaves)
  const merged = new Map<string, UserInput>();
  for (const { id, input } of users) merged.set(id, { ...merged.get(id), ...definedFields(input) });
  const ids = [...merged.keys()];
  const created = new Set((await client.query<{ id: string }>(INSERT_MISSING_SQL, [ids, now])).rows.map((r) => r.id));
  const inputs = [...merged.values()];
  await client.query(UPDATE_GIVEN_SQL, [
    ids, inputs.map((u) => json(u.sizes)), inputs.map((u) => json(u.attributes)), inputs.map((u) => json(u.preferences)),
    inputs.map((u) => json(u.upcoming)), now,
  ]);
  // the first input of a new id created it; any later one updated it
  return users.map(({ id }) => (created.delete(id) ? 'created' : 'updated'));
}

function definedFields(input: UserInput): UserInput {
  const out: UserInput = {};
  if (input.sizes !== undefined) out.sizes = input.sizes;
  if (input.attributes !== undefined) out.attributes = input.attributes;
  if (input.preferences !== undefined) out.preferences = input.preferences;
  if (input.upcoming !== undefined) out.upcoming = input.upcoming;
  return out;
}
