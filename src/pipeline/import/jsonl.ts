/** JSON lines: one JSON value per line, blank lines skipped, a line that does not parse reported by number. */
import type { LineReader } from './line-reader.ts';

export type JsonLine =
  | { line: number; value: unknown; error?: undefined }
  | { line: number; value?: undefined; error: string };

/** The parsed lines of `reader`, numbered from 1. */
export async function* jsonLines(reader: LineReader): AsyncGenerator<JsonLine> {
  let line = 0;
  for await (const text of reader.lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) as unknown };
    } catch (err) {
      yield { line, error: `not valid JSON: ${(err as Error).message}` };
    }
  }
}
