/** Fuzzing (issue 20) of the catalogue, merchandising, models, experiments and operations routes. See helpers/fuzz-suite.ts. */
import { fuzzSuite, memberFacing } from './helpers/fuzz-suite.ts';

fuzzSuite('catalogue, merchandising, models, experiments, operations', (route) => !memberFacing(route), 5000);
