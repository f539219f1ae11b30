// A node:test reporter for scripts/test.ts: writes, as one JSON line per file, which test files
// reported at least one test of their own, so that a file that registers none (a broken glob, a
// suite that never starts) fails the run instead of passing vacuously. Plain JavaScript: the test
// processes load no TypeScript loader.
export default async function* tally(source) {
  const files = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { file, name, skip, details } = event.data;
    if (!file) continue;
    const count = files.get(file) ?? 0;
    // the file itself is reported as a test named by its path; a suite counts only when skipped whole
    const own = name !== file && (details?.type !== 'suite' || skip !== undefined);
    files.set(file, count + (own ? 1 : 0));
  }
  for (const [file, tests] of files) yield `${JSON.stringify({ file, tests })}\n`;
}
