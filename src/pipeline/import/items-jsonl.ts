/** `items-jsonl`: one catalogue item per line, `{id, ...the PUT /v1/items/{id} body}`, validated as the API does. */
import { isInputRejection, validateItemWithId } from '../../core/validate-input.ts';
import type { ItemInput } from '../../core/types.ts';
import type { Store } from '../../storage/store.ts';
import { ImportRun } from './import-run.ts';
import type { ImportOptions, ImportSummary } from './import-types.ts';
import { jsonLines } from './jsonl.ts';
import { openLines } from './line-reader.ts';

/** Upserts the items of a JSON-lines file, `batchSize` per transaction. */
export async function importItemsJsonl(store: Store, path: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const reader = openLines(path);
  const run = new ImportRun('items-jsonl', path, opts);
  const ids = new Set<string>();
  let batch: Array<{ id: string } & ItemInput> = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await store.upsertItems(batch, run.now());
    batch = [];
  };
  for await (const row of jsonLines(reader)) {
    run.countRow(reader);
    if (row.error !== undefined) {
      run.reject(reader, row.line, 'VITRINE_IMPORT_BAD_ROW', row.error);
      continue;
    }
    const item = validateItemWithId(row.value);
    if (isInputRejection(item)) {
      run.reject(reader, row.line, item.code, item.message);
      continue;
    }
    batch.push(item);
    ids.add(item.id);
    if (batch.length >= run.batchSize) await flush();
  }
  await flush();
  run.report(reader, 'reading');
  return run.summary({ events: 0, duplicates: 0, members: 0, items: ids.size });
}
