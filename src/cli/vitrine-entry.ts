/**
 * The script a child `vitrine` process runs (a local cluster's nodes, the crash test's server). From
 * the TypeScript sources that is the installed command, bin/vitrine.js, which registers tsx; when
 * this module itself runs compiled to JavaScript (`npm test`, scripts/test-build.ts rewrites the
 * `.ts` URL below to its compiled twin) it is the compiled CLI, so the child loads no TypeScript
 * loader either (docs/development.md § Test time).
 */
import { fileURLToPath } from 'node:url';

const MAIN = new URL('./main.ts', import.meta.url);
const BIN = new URL('../../bin/vitrine.js', import.meta.url);

/** `node <VITRINE_ENTRY> serve …` starts a server. */
export const VITRINE_ENTRY = fileURLToPath(MAIN.pathname.endsWith('.ts') ? BIN : MAIN);
