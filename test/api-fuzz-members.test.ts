/** Fuzzing (issue 20) of the member-facing routes: events, members, pages, lists. See helpers/fuzz-suite.ts. */
import { fuzzSuite, memberFacing } from './helpers/fuzz-suite.ts';

fuzzSuite('members, events, pages and lists', memberFacing, 5000);
