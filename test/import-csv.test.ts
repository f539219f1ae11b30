import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvRecords, parseCsvRecord } from '../src/pipeline/import/csv.ts';

async function records(text: string): Promise<unknown[]> {
  async function* lines() {
    yield* text.split('\n');
  }
  const out: unknown[] = [];
  for await (const r of csvRecords(lines())) out.push(r.error === undefined ? [r.line, r.fields] : [r.line, r.error]);
  return out;
}

describe('parseCsvRecord', () => {
  it('splits plain, quoted, escaped-quote and empty fields', () => {
    assert.deepEqual(parseCsvRecord('a,b,,d'), ['a', 'b', '', 'd']);
    assert.deepEqual(parseCsvRecord('"a, b",c'), ['a, b', 'c']);
    assert.deepEqual(parseCsvRecord('"say ""hi""",x'), ['say "hi"', 'x']);
    assert.deepEqual(parseCsvRecord('"",""""'), ['', '"']);
    assert.deepEqual(parseCsvRecord('a,'), ['a', '']);
    assert.deepEqual(parseCsvRecord('x\ty', '\t'), ['x', 'y']);
  });

  it('keeps a quote inside an unquoted field, and says when a quoted field is still open', () => {
    assert.deepEqual(parseCsvRecord('5\' 8",b'), ['5\' 8"', 'b']);
    assert.equal(parseCsvRecord('a,"open'), undefined);
  });
});

describe('csvRecords', () => {
  it('joins a quoted field across lines and numbers records by the line they start on', async () => {
    assert.deepEqual(await records('h1,h2\n"multi\nline",x\n\nlast,y'), [
      [1, ['h1', 'h2']], [2, ['multi\nline', 'x']], [5, ['last', 'y']],
    ]);
  });

  it('reports a quote never closed at the end of the file', async () => {
    assert.deepEqual(await records('a,b\n"open,c\nmore'), [
      [1, ['a', 'b']], [2, 'a quoted field opened on line 2 is not closed at the end of the file'],
    ]);
  });

  it('abandons a runaway quoted field after 64 KiB and reads on', async () => {
    const long = 'x'.repeat(40_000);
    const out = await records(`"${long}\n${long}\nok,1`);
    assert.equal(out.length, 2);
    assert.match(String((out[0] as unknown[])[1]), /opened on line 1 is not closed within/);
    assert.deepEqual(out[1], [3, ['ok', '1']]);
  });
});
