// A node:test reporter for scripts/test.ts: writes, as JSON, how many tests ran and which test files
// ran none, so that a file that registers no test (a broken glob, a suite that never starts) fails
// the run instead of passing vacuously. node:test reports such a file as one test named by its path
// (a file with tests is not reported itself). Plain JavaScript: the test processes load no loader.
export default async function* tally(source) {
  let tests = 0;
  const empty = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { file, name, nesting, skip, details } = event.data;
    if (nesting === 0 && name === file) {
      if (event.type === 'test:pass') empty.push(file);
      continue;
    }
    // a suite counts only when skipped whole (its tests are then not reported one by one)
    if (details?.type !== 'suite' || skip !== undefined) tests++;
  }
  yield `${JSON.stringify({ tests, empty })}\n`;
}
