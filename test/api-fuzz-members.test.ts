/** Fuzzing (issue 20) of the member-facing routes: events, members, pages, lists, with API keys on. See helpers/fuzz-suite.ts. */
import { fuzzSuite, memberFacing } from './helpers/fuzz-suite.ts';

fuzzSuite('members, events, pages and lists, with API keys', memberFacing, 5000, { keys: true });
