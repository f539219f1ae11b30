/**
 * `style`: a named cluster of styles (the style-clusters model: "Black cocktail sheaths") matched to
 * the member — by their live history, else their onboarding answers, else the biggest clusters. The
 * nth style row on a template shows the nth best cluster that has something to show.
 */
import { CorruptOutput } from '../../fallback/model-output.ts';
import { asStyleClusters, type StyleClusterSource } from '../../../ml/model-abilities.ts';
import { askAsMember } from '../compose/member-query.ts';
import { reasons, titles } from '../compose/reasons.ts';
import { candidatesFor, rankedFromShared, rowIdOf, type RowSource } from '../compose/row-source.ts';

const STYLE_ALGORITHM = 'style-clusters';
// how deep into a cluster to look for something servable before calling it empty for this member
const ELIGIBILITY_DEPTH = 200;
const membersCache = new WeakMap<object, Map<number, { ids: string[] }>>();

/** A cluster's items, most typical first (cached per model: clusterItems sorts on every call). */
function clusterMembers(model: StyleClusterSource, cluster: number): { ids: string[] } {
  let byCluster = membersCache.get(model);
  if (!byCluster) membersCache.set(model, (byCluster = new Map()));
  let entry = byCluster.get(cluster);
  if (!entry) {
    const ids = model.clusterItems(cluster);
    byCluster.set(cluster, (entry = { ids }));
  }
  return entry;
}

/** The nth (0-based) of `ranked` that `eligible` accepts, looking no further than needed. */
function nthEligible<C extends { cluster: number }>(ranked: readonly C[], n: number, eligible: (cluster: number) => boolean): C | undefined {
  let seen = 0;
  for (const c of ranked) if (eligible(c.cluster) && seen++ === n) return c;
  return undefined;
}

/** Something servable among a cluster's first ELIGIBILITY_DEPTH items. */
function hasServable(ids: readonly string[], allowed: (id: string) => boolean): boolean {
  for (let k = 0; k < ids.length && k < ELIGIBILITY_DEPTH; k++) if (allowed(ids[k])) return true;
  return false;
}

export const styleRow: RowSource = {
  kind: 'style',
  fallbacks: 'bound',
  cache: 'stable',
  modelOrder: () => [STYLE_ALGORITHM],
  plan: (_ctx, row, ordinal, size) => ({ rowId: rowIdOf('style', ordinal), kind: 'style', title: row.title ?? titles.styles, size, ordinal }),
  async fill(ctx, plan, models) {
    // no style model trained: the row does not apply (not a failure worth a fallback)
    const handle = models.find(STYLE_ALGORITHM);
    if (!handle) return { items: [] };
    const style = asStyleClusters(handle.model);
    if (!style) throw new CorruptOutput(`${handle.version} has no style clusters`);
    const matched = await askAsMember(ctx, handle, async (query) => ({ clusters: await style.matchUser(query) }));
    const ranked = matched?.clusters ?? [...style.clusters].sort((a, b) => b.size - a.size || a.cluster - b.cluster);
    const chosen = nthEligible(ranked, plan.ordinal, (cluster) => hasServable(clusterMembers(style, cluster).ids, ctx.allowed));
    if (!chosen) return { items: [] };
    // within one cluster the model ranks by typicality alone (the member's affinity is the cluster's),
    // which is the order clusterItems gives: no second scoring pass over the catalogue
    const items = rankedFromShared(clusterMembers(style, chosen.cluster).ids, ctx.allowed, candidatesFor(ctx, plan.size), reasons.suitsYourStyle);
    const explanation = matched ? 'A style that suits what you love' : 'A style members love';
    return { items, title: plan.title === titles.styles ? chosen.name : plan.title, explanation };
  },
};
