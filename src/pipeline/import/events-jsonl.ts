/** `events-jsonl`: one event per line in the POST /v1/events shape, validated exactly as the API does. */
import { isRejection, validateEvent } from '../../core/validate-event.ts';
import type { Store } from '../../storage/store.ts';
import { EventBatchWriter } from './event-writer.ts';
import { ImportRun } from './import-run.ts';
import type { ImportOptions, ImportSummary } from './import-types.ts';
import { jsonLines } from './jsonl.ts';
import { openLines } from './line-reader.ts';

/** Appends the events of a JSON-lines file, `batchSize` per transaction; ids seen before are duplicates. */
export async function importEventsJsonl(store: Store, path: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const reader = openLines(path);
  const run = new ImportRun('events-jsonl', path, opts);
  const writer = new EventBatchWriter(store, run.batchSize);
  const members = new Set<string>();
  const items = new Set<string>();
  for await (const row of jsonLines(reader)) {
    run.countRow(reader);
    if (row.error !== undefined) {
      run.reject(reader, row.line, 'VITRINE_IMPORT_BAD_ROW', row.error);
      continue;
    }
    const event = validateEvent(row.value, run.validation());
    if (isRejection(event)) {
      run.reject(reader, row.line, event.code, event.message);
      continue;
    }
    await writer.add(event);
    members.add(event.userId);
    if (event.itemId !== undefined) items.add(event.itemId);
  }
  await writer.flush();
  run.report(reader, 'reading');
  return run.summary({ events: writer.accepted, duplicates: writer.duplicates, members: members.size, items: items.size });
}
