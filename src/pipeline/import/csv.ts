/**
 * CSV records (RFC 4180) from a stream of physical lines: fields may be "quoted", a quote inside a
 * quoted field is written "", and a quoted field may span lines. Text after a closing quote is kept
 * (as most readers do) rather than refusing the record.
 */

/** Splits one record; `undefined` when a quoted field is still open at the end of `text`. */
export function parseCsvRecord(text: string, delimiter = ','): string[] | undefined {
  if (!text.includes('"')) return text.split(delimiter); // the common case, several times faster
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '"' && field.length === 0) {
      quoted = true;
    } else {
      field += ch;
    }
    i++;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

/** One record with the physical line it starts on, or why it could not be read. */
export type CsvRecord =
  | { line: number; fields: string[]; error?: undefined }
  | { line: number; fields?: undefined; error: string };

/** Above this a quoted field that never closes is abandoned, so one stray quote cannot swallow the file. */
const MAX_RECORD_CHARS = 64 * 1024;

/** Assembles physical lines into records; blank lines are skipped. Line numbers start at 1. */
export async function* csvRecords(lines: AsyncIterable<string>, delimiter = ','): AsyncGenerator<CsvRecord> {
  let lineNo = 0;
  let pending: string | undefined;
  let pendingLine = 0;
  for await (const line of lines) {
    lineNo++;
    if (pending === undefined && line.length === 0) continue;
    const text = pending === undefined ? line : `${pending}\n${line}`;
    const start = pending === undefined ? lineNo : pendingLine;
    const fields = parseCsvRecord(text, delimiter);
    if (fields) {
      pending = undefined;
      yield { line: start, fields };
    } else if (text.length > MAX_RECORD_CHARS) {
      pending = undefined;
      yield { line: start, error: `a quoted field opened on line ${start} is not closed within ${MAX_RECORD_CHARS} characters` };
    } else {
      pending = text;
      pendingLine = start;
    }
  }
  if (pending !== undefined) yield { line: pendingLine, error: `a quoted field opened on line ${pendingLine} is not closed at the end of the file` };
}
