/** Streaming importers, usable as a library: `await importRtr(store, path, {onProgress})` → ImportSummary. */
export { importRtr, RTR_NOTES } from './rtr.ts';
export { importMovieLens, type MovieLensOptions } from './movielens.ts';
export { importItemsJsonl } from './items-jsonl.ts';
export { importUsersJsonl } from './users-jsonl.ts';
export { importEventsJsonl } from './events-jsonl.ts';
export { importWorld } from './world.ts';
export { describeBadRows, describeSummary } from './describe-summary.ts';
export type { ImportOptions, ImportProgress, ImportSummary } from './import-types.ts';
export type { BadRow, BadRowReport } from './bad-rows.ts';
