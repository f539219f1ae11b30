/**
 * Which model version serves each row kind (GET /v1/models): the first loaded of the algorithms the
 * row's fill asks, in its order (RowSource.modelOrder), so the answer comes from the same place as
 * the fill's choice and the console never guesses it.
 */
import type { RowSource } from '../page/compose/row-source.ts';
import { ROW_SOURCES } from '../page/rows/index.ts';

export interface RowKindModel {
  /** a page row kind, or `similar` (GET /v1/items/{id}/similar asks as because-you-liked does) */
  kind: string;
  /** the algorithms the row asks, in order; empty when it uses no model */
  asks: string[];
  /** the first of them with a loaded version, or null (the row's own last resort, or no row) */
  algorithm: string | null;
  version: string | null;
}

/** Row kinds with their models, for the primary algorithm `primary` and the loaded versions `current`. */
export function rowKindModels(primary: string, current: (algorithm: string) => string | undefined): RowKindModel[] {
  const sources: Array<[string, RowSource]> = [
    ...Object.values(ROW_SOURCES).map((s): [string, RowSource] => [s.kind, s]),
    ['similar', ROW_SOURCES['because-you-liked']],
  ];
  return sources.map(([kind, source]) => {
    const asks = [...(source.modelOrder?.(primary) ?? [])];
    const algorithm = asks.find((a) => current(a) !== undefined) ?? null;
    return { kind, asks, algorithm, version: algorithm === null ? null : current(algorithm) ?? null };
  });
}
