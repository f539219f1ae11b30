/**
 * Experiment exposure and outcomes per variant label, in one query. Exposure: the stored pages of the
 * variant (the impressions table; item impressions = the items on them) plus `impression` events that
 * name no page (logged by a client). Outcomes: an event naming a page counts for the variant of that
 * stored page (the server's record wins over what a client echoes back; a page that was never stored
 * attributes nothing); an event naming no page counts for its own `variant` column. Impression events
 * of stored pages are not counted again, so the counts are the same whether or not pages were logged
 * with per-item events. Every path uses an index (impressions_by_variant, events_by_page, events_by_variant).
 */
import type Database from 'better-sqlite3';
import { emptyRecord } from '../../core/dictionary.ts';
import type { VariantCounts } from '../store.ts';
import { guardSqlite as guard } from './sqlite-errors.ts';

const COUNTS_SQL = `
  WITH labels AS (SELECT value AS label FROM json_each(?)),
  attributed AS (
    SELECT i.variant AS variant, 'page' AS type, i.user_id AS user_id,
        -- compact records carry their item count; older ones (JSON rows) are counted from the JSON
        CASE WHEN i.item_count IS NOT NULL THEN i.item_count
          ELSE (SELECT coalesce(sum(json_array_length(r.value, '$.items')), 0) FROM json_each(i.rows) r) END AS items
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
    count(DISTINCT CASE WHEN type IN ('page', 'impression') THEN user_id END) AS users,
    sum(type = 'page') AS pages,
    sum(CASE WHEN type IN ('page', 'impression') THEN items ELSE 0 END) AS impressions,
    sum(type = 'click') AS clicks,
    sum(type = 'rent') AS rents,
    count(DISTINCT CASE WHEN type = 'click' THEN user_id END) AS clickers,
    count(DISTINCT CASE WHEN type = 'rent' THEN user_id END) AS renters
  FROM attributed GROUP BY variant`;

/** Zero counts (a label nothing was attributed to). */
export function zeroCounts(): VariantCounts {
  return { users: 0, pages: 0, impressions: 0, clicks: 0, rents: 0, clickers: 0, renters: 0 };
}

/** Prepares the counting query once per store. */
export function experimentCountsQuery(db: Database.Database): (labels: readonly string[]) => Record<string, VariantCounts> {
  const stmt = db.prepare(COUNTS_SQL);
  return (labels) => {
    const out = emptyRecord<VariantCounts>();
    for (const label of labels) out[label] = zeroCounts();
    if (labels.length === 0) return out;
    const rows = guard(() => stmt.all(JSON.stringify(labels))) as Array<{ variant: string } & VariantCounts>;
    for (const { variant, ...counts } of rows) out[variant] = counts;
    return out;
  };
}
