/**
 * Experiment exposure and outcomes per variant label, in one query: the same attribution rules as
 * the SQLite store (sqlite/experiment-counts.ts, where they are spelled out), in PostgreSQL's SQL.
 */
import type pg from 'pg';
import { emptyRecord } from '../../core/dictionary.ts';
import type { VariantCounts } from '../store.ts';
import { zeroCounts } from '../sqlite/experiment-counts.ts';

const COUNTS_SQL = `
  WITH labels AS (SELECT unnest($1::text[]) AS label),
  attributed AS (
    SELECT i.variant AS variant, 'page' AS type, i.user_id AS user_id,
        CASE WHEN i.item_count IS NOT NULL THEN i.item_count
          ELSE (SELECT coalesce(sum(json_array_length(r -> 'items')), 0) FROM json_array_elements(i.rows::json) r)::int END AS items
      FROM impressions i WHERE i.variant IN (SELECT label FROM labels)
    UNION ALL
    SELECT i.variant, e.type, e.user_id, 0
      FROM impressions i JOIN events e ON e.page_id = i.page_id
      WHERE i.variant IN (SELECT label FROM labels) AND e.type IN ('click', 'rent')
    UNION ALL
    SELECT e.variant, e.type, e.user_id, 1
      FROM events e
      WHERE e.variant IN (SELECT label FROM labels) AND e.type IN ('impression', 'click', 'rent')
        AND e.page_id IS NULL
  )
  SELECT variant,
    count(DISTINCT user_id) FILTER (WHERE type IN ('page', 'impression'))::int AS users,
    count(*) FILTER (WHERE type = 'page')::int AS pages,
    coalesce(sum(items) FILTER (WHERE type IN ('page', 'impression')), 0)::int AS impressions,
    count(*) FILTER (WHERE type = 'click')::int AS clicks,
    count(*) FILTER (WHERE type = 'rent')::int AS rents,
    count(DISTINCT user_id) FILTER (WHERE type = 'click')::int AS clickers,
    count(DISTINCT user_id) FILTER (WHERE type = 'rent')::int AS renters
  FROM attributed GROUP BY variant`;

/** Per label: exposure and outcomes; labels nothing was attributed to get zeros. */
export async function experimentCounts(db: pg.Pool, labels: readonly string[]): Promise<Record<string, VariantCounts>> {
  const out = emptyRecord<VariantCounts>();
  for (const label of labels) out[label] = zeroCounts();
  if (labels.length === 0) return out;
  const { rows } = await db.query<{ variant: string } & VariantCounts>(COUNTS_SQL, [labels]);
  for (const { variant, ...counts } of rows) out[variant] = counts;
  return out;
}
