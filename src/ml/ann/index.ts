/** Approximate nearest-neighbour retrieval over item vectors (ADR 0005). Pure: arrays in, indexes out. */
export { IvfIndex, type AnnHits, type AnnSearchOptions, type IvfBuildOptions } from './ivf-index.ts';
export { exactSearch } from './exact-search.ts';
export { calibrateProbes, measureRecall, type RecallReport } from './calibrate.ts';
export type { AnnMetric } from './unit-space.ts';
