/** `users-jsonl`: one member per line, `{id, ...the PUT /v1/users/{id} body}`, validated as the API does. */
import { isValidId } from '../../core/ids.ts';
import { isInputRejection, validateUser } from '../../core/validate-input.ts';
import type { UserInput } from '../../core/types.ts';
import type { Store } from '../../storage/store.ts';
import { ImportRun } from './import-run.ts';
import type { ImportOptions, ImportSummary } from './import-types.ts';
import { jsonLines } from './jsonl.ts';
import { openLines } from './line-reader.ts';

/** Upserts the member profiles of a JSON-lines file. */
export async function importUsersJsonl(store: Store, path: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const reader = openLines(path);
  const run = new ImportRun('users-jsonl', path, opts);
  const ids = new Set<string>();
  let batch: Array<{ id: string; input: UserInput }> = [];
  const flush = async () => {
    if (batch.length > 0) await store.upsertUsers(batch, run.now());
    batch = [];
  };
  for await (const row of jsonLines(reader)) {
    run.countRow(reader);
    if (row.error !== undefined) {
      run.reject(reader, row.line, 'VITRINE_IMPORT_BAD_ROW', row.error);
      continue;
    }
    if (row.value === null || typeof row.value !== 'object' || Array.isArray(row.value)) {
      run.reject(reader, row.line, 'VITRINE_USER_INVALID', 'a member must be a JSON object');
      continue;
    }
    const { id, ...body } = row.value as Record<string, unknown>;
    if (!isValidId(id)) {
      run.reject(reader, row.line, 'VITRINE_REQUEST_BAD_ID', 'id must be 1-128 characters of [A-Za-z0-9._:@-]');
      continue;
    }
    const user = validateUser(body);
    if (isInputRejection(user)) {
      run.reject(reader, row.line, user.code, user.message);
      continue;
    }
    batch.push({ id, input: user });
    ids.add(id);
    if (batch.length >= run.batchSize) await flush();
  }
  await flush();
  run.report(reader, 'reading');
  return run.summary({ events: 0, duplicates: 0, members: ids.size, items: 0 });
}
