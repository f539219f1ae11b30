/**
 * What the closed loop counts while it runs: per member (variant, visits, rents, the day they left)
 * and per variant (pages, fallbacks, and per row kind what was shown, looked at, clicked, hearted,
 * rented). Plain counters, summarised with intervals afterwards (summary.ts).
 */
import type { ServedPage } from './serving-harness.ts';
import type { VisitOutcome } from './member-visit.ts';

export interface RowKindCounts {
  shown: number;
  examined: number;
  clicks: number;
  hearts: number;
  rents: number;
}

export interface VariantCounts {
  pages: number;
  /** pages with at least one fallback note */
  pagesWithFallback: number;
  /** fallback notes by the sources that served instead ("segment-popularity", "static", …) */
  fallbackSources: Record<string, number>;
  /** failed sources by cause ("error", "unavailable", "timeout", "corrupt") */
  failureCauses: Record<string, number>;
  rowKinds: Record<string, RowKindCounts>;
  /** items shown that the member held at the time (must stay 0) */
  heldShown: number;
  /** pages whose variant label was not the member's assigned variant (must stay 0) */
  misassigned: number;
}

export class Tallies {
  /** variant index per member, -1 for members not simulated (left during the warm-up) */
  readonly variantOf: Int8Array;
  readonly visits: Int32Array;
  readonly rents: Int32Array;
  /** item indexes each member rented during the simulation */
  readonly rentedItems: Array<Set<number> | undefined>;
  readonly variants: VariantCounts[];

  constructor(members: number, readonly labels: readonly string[]) {
    this.variantOf = new Int8Array(members).fill(-1);
    this.visits = new Int32Array(members);
    this.rents = new Int32Array(members);
    this.rentedItems = new Array<Set<number> | undefined>(members);
    this.variants = labels.map(() => ({
      pages: 0, pagesWithFallback: 0, fallbackSources: {}, failureCauses: {}, rowKinds: {}, heldShown: 0, misassigned: 0,
    }));
  }

  /** Counts one page and what the member did with it. */
  visit(m: number, page: ServedPage, outcome: VisitOutcome): void {
    const v = this.variantOf[m];
    const c = this.variants[v];
    this.visits[m]++;
    this.rents[m] += outcome.rents;
    for (const i of outcome.rented) (this.rentedItems[m] ??= new Set()).add(i);
    c.pages++;
    c.heldShown += outcome.heldShown;
    if (page.variant !== this.labels[v]) c.misassigned++;
    if (page.fallbacks.length > 0) c.pagesWithFallback++;
    for (const f of page.fallbacks) {
      for (const source of f.used) c.fallbackSources[source] = (c.fallbackSources[source] ?? 0) + 1;
      for (const failure of f.failed) c.failureCauses[failure.cause] = (c.failureCauses[failure.cause] ?? 0) + 1;
    }
    for (const r of outcome.rows) {
      const k = (c.rowKinds[r.kind] ??= { shown: 0, examined: 0, clicks: 0, hearts: 0, rents: 0 });
      k.shown += r.shown;
      k.examined += r.examined;
      k.clicks += r.clicks;
      k.hearts += r.hearts;
      k.rents += r.rents;
    }
  }
}
