/**
 * Rent the Runway import (Misra, Wan & McAuley, RecSys 2018): each rental becomes one `rent` event
 * (ts = review date, size, fit, rating, occasion = rented for); items are catalogued with their
 * category and the sizes they were rented in; members get their rented sizes and body measurements.
 * Reads the reduced CSV or the original JSON lines (gzipped or not), told apart by the first line.
 */
import { VitrineError } from '../../core/errors.ts';
import { isInputRejection, validateItemWithId, validateUser } from '../../core/validate-input.ts';
import { isRejection, validateEvent } from '../../core/validate-event.ts';
import type { ItemInput, UserInput } from '../../core/types.ts';
import type { Store } from '../../storage/store.ts';
import { csvRecords, parseCsvRecord } from './csv.ts';
import { EventBatchWriter } from './event-writer.ts';
import { ImportRun } from './import-run.ts';
import type { ImportOptions, ImportSummary } from './import-types.ts';
import { type LineReader, openLines } from './line-reader.ts';
import { RTR_UNITS_PER_SIZE_SEEN, RtrAggregate } from './rtr-aggregate.ts';
import { type RtrParse, rtrCsvColumns, rtrFromCsv, rtrFromJson } from './rtr-record.ts';

export const RTR_NOTES = [
  `RTR has no stock data: each size an item was rented in is catalogued as ${RTR_UNITS_PER_SIZE_SEEN} unit available`,
  'event ts is the review date (RTR publishes no rental date); event ids are rtr-<row number>, so a re-run stores nothing twice',
];

/** One data row with the line it starts on. */
interface RawRow {
  line: number;
  parsed: RtrParse;
}

/** Imports an RTR file into the store; bad rows are reported by line and never stop the import. */
export async function importRtr(store: Store, path: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const reader = openLines(path);
  const run = new ImportRun('rtr', path, opts);
  const writer = new EventBatchWriter(store, run.batchSize);
  const aggregate = new RtrAggregate();
  // the n-th data row is event rtr-<n> in both shapes, so the CSV and the JSON of the same data agree
  let ordinal = 0;
  for await (const row of rtrRows(reader)) {
    ordinal++;
    run.countRow(reader);
    if ('error' in row.parsed) {
      run.reject(reader, row.line, 'VITRINE_IMPORT_BAD_ROW', row.parsed.error);
      continue;
    }
    const r = row.parsed;
    const event = validateEvent({
      id: `rtr-${ordinal}`, type: 'rent', userId: r.userId, itemId: r.itemId, ts: r.date,
      size: r.size, fit: r.fit, rating: r.rating, occasion: r.occasion,
    }, run.validation());
    if (isRejection(event)) {
      run.reject(reader, row.line, event.code, event.message);
      continue;
    }
    await writer.add(event);
    aggregate.add(r, event.ts, row.line);
  }
  await writer.flush();
  run.report(reader, 'reading');

  const items = await writeCatalogue(store, reader, run, aggregate);
  const members = await writeMembers(store, reader, run, aggregate);
  return run.summary({ events: writer.accepted, duplicates: writer.duplicates, members, items, notes: RTR_NOTES });
}

/** Data rows of either shape; the first non-blank line says which. */
async function* rtrRows(reader: LineReader): AsyncGenerator<RawRow> {
  const lines = reader.lines[Symbol.asyncIterator]();
  try {
    yield* rowsAfterSniffing(reader, lines);
  } finally {
    await lines.return?.(); // closes the file however the caller stops
  }
}

async function* rowsAfterSniffing(reader: LineReader, lines: AsyncIterator<string>): AsyncGenerator<RawRow> {
  let lineNo = 0;
  let first: IteratorResult<string>;
  while (!(first = await lines.next()).done && first.value.trim() === '') lineNo++;
  if (first.done) return;
  lineNo++;
  const rest: AsyncIterable<string> = { [Symbol.asyncIterator]: () => lines };
  if (first.value.trimStart().startsWith('{')) {
    yield { line: lineNo, parsed: jsonRow(first.value) };
    for await (const line of rest) {
      lineNo++;
      if (line.trim() !== '') yield { line: lineNo, parsed: jsonRow(line) };
    }
    return;
  }
  const header = parseCsvRecord(first.value) ?? [];
  const columns = rtrCsvColumns(header);
  if (!columns) {
    throw new VitrineError('VITRINE_IMPORT_UNKNOWN_FORMAT',
      `${reader.name} is not an RTR file: expected JSON lines or a CSV header with user_id, item_id and review_date`);
  }
  const headerLine = lineNo;
  for await (const record of csvRecords(rest)) {
    const line = record.line + headerLine;
    if (record.error !== undefined) yield { line, parsed: { error: record.error } };
    else yield { line, parsed: rtrFromCsv(record.fields, columns, header.length) };
  }
}

function jsonRow(line: string): RtrParse {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { error: `not valid JSON: ${(err as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'a row must be a JSON object' };
  return rtrFromJson(value as Record<string, unknown>);
}

/** Upserts the items seen, `batchSize` per transaction; returns how many were catalogued. */
async function writeCatalogue(store: Store, reader: LineReader, run: ImportRun, aggregate: RtrAggregate): Promise<number> {
  let batch: Array<{ id: string } & ItemInput> = [];
  let written = 0;
  const total = aggregate.itemCount;
  for (const { input, firstLine } of aggregate.itemInputs()) {
    const item = validateItemWithId(input);
    if (isInputRejection(item)) {
      run.reject(reader, firstLine, item.code, `item ${input.id} (first seen here): ${item.message}`);
      continue;
    }
    batch.push(item);
    if (batch.length >= run.batchSize) {
      written += (await store.upsertItems(batch, run.now())).length;
      batch = [];
      run.report(reader, 'catalogue', written, total);
    }
  }
  if (batch.length > 0) written += (await store.upsertItems(batch, run.now())).length;
  run.report(reader, 'catalogue', written, total);
  return written;
}

/** Upserts the members' sizes and measurements; returns how many were written. */
async function writeMembers(store: Store, reader: LineReader, run: ImportRun, aggregate: RtrAggregate): Promise<number> {
  let written = 0;
  const total = aggregate.memberCount;
  const batchSize = run.batchSize;
  let batch: Array<{ id: string; input: UserInput }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await store.upsertUsers(batch, run.now());
    written += batch.length;
    batch = [];
    run.report(reader, 'members', written, total);
  };
  for (const { id, input, firstLine } of aggregate.memberInputs()) {
    const user = validateUser(input);
    if (isInputRejection(user)) {
      run.reject(reader, firstLine, user.code, `member ${id} (first seen here): ${user.message}`);
      continue;
    }
    batch.push({ id, input: user });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  run.report(reader, 'members', written, total);
  return written;
}
