/**
 * Carousels, page templates and experiments held in memory for the page path (no store query per
 * page). The admin routes reload it after every write; it also reloads itself in the background when
 * older than `refreshMs`, so changes made by another process (the CLI, another node) show up too.
 * Loads are serialised, so a slow background load can never overwrite a newer one.
 */
import type { CarouselRecord, ExperimentRecord, PageTemplateRecord, Store } from '../../storage/store.ts';
import { resolveVariantConfig } from '../experiments/resolve.ts';
import type { Carousel, Merchandising, PageTemplate, ResolvedVariant, TemplateRow } from '../page/types.ts';
import { DEFAULT_TEMPLATES } from './default-templates.ts';
import { isCarouselActive } from './servable.ts';

interface Snapshot {
  carousels: ReadonlyMap<string, CarouselRecord>;
  /** newest edit first: the order of the rows a carousel-less `curated` row expands to */
  carouselOrder: readonly CarouselRecord[];
  templates: ReadonlyMap<string, PageTemplateRecord>;
  experiments: readonly ExperimentRecord[];
  running: readonly ExperimentRecord[];
  loadedAt: number;
}

export interface MerchandisingCacheOptions {
  /** the clock (epoch ms): which carousels are active */
  clock?: () => number;
  /** reload in the background when the snapshot is older than this, ms (0 = only on reload()) */
  refreshMs?: number;
}

/** Rows of `template` with every carousel-less `curated` row replaced by one row per active carousel. */
export function expandCuratedRows(template: PageTemplate, carousels: readonly Carousel[], now: number): PageTemplate {
  if (!template.rows.some((r) => r.kind === 'curated' && r.carouselId === undefined)) return template;
  const rows: TemplateRow[] = [];
  for (const row of template.rows) {
    if (row.kind !== 'curated' || row.carouselId !== undefined) {
      rows.push(row);
      continue;
    }
    for (const c of carousels) {
      if (!isCarouselActive(c, now)) continue;
      const expanded: TemplateRow = { kind: 'curated', carouselId: c.id };
      if (row.size !== undefined) expanded.size = row.size;
      rows.push(expanded);
    }
  }
  return { ...template, rows };
}

export class MerchandisingCache implements Merchandising {
  private snapshot: Snapshot | undefined;
  private chain: Promise<Snapshot | undefined> = Promise.resolve(undefined);
  private refreshing = false;
  private readonly clock: () => number;
  private readonly refreshMs: number;

  constructor(private readonly store: Store, opts: MerchandisingCacheOptions = {}) {
    this.clock = opts.clock ?? Date.now;
    this.refreshMs = opts.refreshMs ?? 5000;
  }

  /** Loads everything from the store again (after a write); resolves once the new snapshot is in place. */
  async reload(): Promise<void> {
    await this.enqueueLoad();
  }

  /** The named template: stored, else built in (`home`), else undefined; curated-for-all rows expanded. */
  async template(name: string): Promise<PageTemplate | undefined> {
    const s = await this.current();
    const template = s.templates.get(name) ?? DEFAULT_TEMPLATES.get(name);
    return template ? expandCuratedRows(template, s.carouselOrder, this.clock()) : undefined;
  }

  /** The carousel, active or not (the row decides), or undefined. */
  async carousel(id: string): Promise<Carousel | undefined> {
    return (await this.current()).carousels.get(id);
  }

  /** Every carousel, active or not, most recently edited first. */
  async carousels(): Promise<Carousel[]> {
    return [...(await this.current()).carouselOrder];
  }

  /** Experiments with status `running`, oldest first. */
  async runningExperiments(): Promise<readonly ExperimentRecord[]> {
    return (await this.current()).running;
  }

  /** The member's variant and config (resolveVariantConfig over the running experiments). */
  async resolveVariant(userId: string): Promise<ResolvedVariant> {
    return resolveVariantConfig(userId, (await this.current()).running);
  }

  /** True when a template of this name is stored or built in. */
  async hasTemplate(name: string): Promise<boolean> {
    return (await this.current()).templates.has(name) || DEFAULT_TEMPLATES.has(name);
  }

  private async current(): Promise<Snapshot> {
    const s = this.snapshot;
    if (!s) return (await this.enqueueLoad()) as Snapshot;
    if (this.refreshMs > 0 && !this.refreshing && this.clock() - s.loadedAt > this.refreshMs) {
      this.refreshing = true;
      // stale-while-revalidate: this request uses the snapshot it has; a failed refresh keeps it
      this.enqueueLoad().catch(() => undefined).finally(() => { this.refreshing = false; });
    }
    return s;
  }

  private enqueueLoad(): Promise<Snapshot | undefined> {
    const next = this.chain.catch(() => undefined).then(() => this.load());
    this.chain = next;
    return next;
  }

  private async load(): Promise<Snapshot> {
    const [carousels, templates, experiments] = await Promise.all([
      this.store.listCarousels(), this.store.listPageTemplates(), this.store.listExperiments(),
    ]);
    const carouselOrder = [...carousels].sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1));
    this.snapshot = {
      carousels: new Map(carousels.map((c) => [c.id, c])),
      carouselOrder,
      templates: new Map(templates.map((t) => [t.name, t])),
      experiments,
      running: experiments.filter((e) => e.status === 'running'),
      loadedAt: this.clock(),
    };
    return this.snapshot;
  }
}
