/** The SQLite side of merchandising and experiments: carousels, page templates, experiment configs. */
import type Database from 'better-sqlite3';
import type {
  CarouselInput, CarouselRecord, ExperimentInput, ExperimentRecord, PageTemplateInput, PageTemplateRecord, UpsertOutcome,
} from '../store.ts';
import { type CarouselRow, type ExperimentRow, rowToCarousel, rowToExperiment, rowToTemplate, type TemplateRow, templateRowsJson } from '../merchandising-rows.ts';
import { guardSqlite as guard } from './sqlite-errors.ts';

/** Prepared statements over the tables of migration 2; SqliteStore delegates to it. */
export class SqliteMerchandisingStore {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      // an upsert keeps created_at; `changes` cannot tell insert from update, so existence is read first
      carouselExists: db.prepare('SELECT 1 FROM carousels WHERE id = ?').pluck(),
      putCarousel: db.prepare(`INSERT INTO carousels (id, title, item_ids, personalize, active_from, active_to, audience,
          created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET title = excluded.title, item_ids = excluded.item_ids,
          personalize = excluded.personalize, active_from = excluded.active_from, active_to = excluded.active_to,
          audience = excluded.audience, updated_at = excluded.updated_at`),
      getCarousel: db.prepare('SELECT * FROM carousels WHERE id = ?'),
      listCarousels: db.prepare('SELECT * FROM carousels ORDER BY id'),
      deleteCarousel: db.prepare('DELETE FROM carousels WHERE id = ?'),
      templateExists: db.prepare('SELECT 1 FROM page_templates WHERE name = ?').pluck(),
      putTemplate: db.prepare(`INSERT INTO page_templates (name, rows, max_rows, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET rows = excluded.rows, max_rows = excluded.max_rows, updated_at = excluded.updated_at`),
      getTemplate: db.prepare('SELECT * FROM page_templates WHERE name = ?'),
      listTemplates: db.prepare('SELECT * FROM page_templates ORDER BY name'),
      experimentExists: db.prepare('SELECT 1 FROM experiments WHERE id = ?').pluck(),
      putExperiment: db.prepare(`INSERT INTO experiments (id, variants, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET variants = excluded.variants, status = excluded.status, updated_at = excluded.updated_at`),
      getExperiment: db.prepare('SELECT * FROM experiments WHERE id = ?'),
      listExperiments: db.prepare('SELECT * FROM experiments ORDER BY created_at, id'),
      deleteExperiment: db.prepare('DELETE FROM experiments WHERE id = ?'),
    };
  }

  putCarousel(c: CarouselInput & { id: string }, now: number): UpsertOutcome {
    return guard(() => {
      const existed = this.stmt.carouselExists.get(c.id) !== undefined;
      this.stmt.putCarousel.run(c.id, c.title, JSON.stringify(c.itemIds), c.personalize ? 1 : 0, c.activeFrom ?? null,
        c.activeTo ?? null, c.audience ? JSON.stringify(c.audience) : null, now, now);
      return existed ? 'updated' : 'created';
    });
  }

  getCarousel(id: string): CarouselRecord | null {
    const row = guard(() => this.stmt.getCarousel.get(id)) as CarouselRow | undefined;
    return row ? rowToCarousel(row) : null;
  }

  listCarousels(): CarouselRecord[] {
    return (guard(() => this.stmt.listCarousels.all()) as CarouselRow[]).map(rowToCarousel);
  }

  deleteCarousel(id: string): boolean {
    return guard(() => this.stmt.deleteCarousel.run(id)).changes > 0;
  }

  putPageTemplate(t: PageTemplateInput & { name: string }, now: number): UpsertOutcome {
    return guard(() => {
      const existed = this.stmt.templateExists.get(t.name) !== undefined;
      this.stmt.putTemplate.run(t.name, templateRowsJson(t), t.maxRows ?? null, now, now);
      return existed ? 'updated' : 'created';
    });
  }

  getPageTemplate(name: string): PageTemplateRecord | null {
    const row = guard(() => this.stmt.getTemplate.get(name)) as TemplateRow | undefined;
    return row ? rowToTemplate(row) : null;
  }

  listPageTemplates(): PageTemplateRecord[] {
    return (guard(() => this.stmt.listTemplates.all()) as TemplateRow[]).map(rowToTemplate);
  }

  putExperiment(e: ExperimentInput & { id: string }, now: number): UpsertOutcome {
    return guard(() => {
      const existed = this.stmt.experimentExists.get(e.id) !== undefined;
      this.stmt.putExperiment.run(e.id, JSON.stringify(e.variants), e.status, now, now);
      return existed ? 'updated' : 'created';
    });
  }

  getExperiment(id: string): ExperimentRecord | null {
    const row = guard(() => this.stmt.getExperiment.get(id)) as ExperimentRow | undefined;
    return row ? rowToExperiment(row) : null;
  }

  listExperiments(): ExperimentRecord[] {
    return (guard(() => this.stmt.listExperiments.all()) as ExperimentRow[]).map(rowToExperiment);
  }

  deleteExperiment(id: string): boolean {
    return guard(() => this.stmt.deleteExperiment.run(id)).changes > 0;
  }
}
