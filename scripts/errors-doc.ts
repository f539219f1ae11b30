/** Regenerates the code table of docs/errors.md from the registry: `node --import tsx scripts/errors-doc.ts`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { ERROR_CODES } from '../src/core/errors.ts';

const BEGIN = '<!-- codes:begin -->';
const END = '<!-- codes:end -->';
const path = new URL('../docs/errors.md', import.meta.url);
const text = readFileSync(path, 'utf8');
const table = ['| code | status | meaning |', '|---|---|---|',
  ...Object.entries(ERROR_CODES).map(([code, { status, message }]) => `| \`${code}\` | ${status} | ${message} |`)].join('\n');
writeFileSync(path, `${text.slice(0, text.indexOf(BEGIN) + BEGIN.length)}\n${table}\n${text.slice(text.indexOf(END))}`);
console.log(`docs/errors.md: ${Object.keys(ERROR_CODES).length} codes`);
