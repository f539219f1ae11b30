/** The PostgreSQL side of merchandising and experiments: carousels, page templates, experiment configs. */
import type pg from 'pg';
import type {
  CarouselInput, CarouselRecord, ExperimentInput, ExperimentRecord, PageTemplateInput, PageTemplateRecord, UpsertOutcome,
} from '../store.ts';
import { type CarouselRow, type ExperimentRow, rowToCarousel, rowToExperiment, rowToTemplate, type TemplateRow, templateRowsJson } from '../merchandising-rows.ts';
import { guardPg as guard } from './pg-errors.ts';

// an upsert keeps created_at; xmax = 0 on the returned row tells an insert from an update
const OUTCOME = `RETURNING (xmax = 0) AS created`;
const outcome = (res: pg.QueryResult<{ created: boolean }>): UpsertOutcome => (res.rows[0].created ? 'created' : 'updated');

/** Carousels, page templates and experiments in PostgreSQL; PostgresStore delegates to it. */
export class PostgresMerchandisingStore {
  constructor(private readonly db: pg.Pool) {}

  async putCarousel(c: CarouselInput & { id: string }, now: number): Promise<UpsertOutcome> {
    return outcome(await guard(() => this.db.query<{ created: boolean }>(`
      INSERT INTO carousels (id, title, item_ids, personalize, active_from, active_to, audience, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
      ON CONFLICT (id) DO UPDATE SET title = excluded.title, item_ids = excluded.item_ids,
        personalize = excluded.personalize, active_from = excluded.active_from, active_to = excluded.active_to,
        audience = excluded.audience, updated_at = excluded.updated_at ${OUTCOME}`,
    [c.id, c.title, JSON.stringify(c.itemIds), c.personalize, c.activeFrom ?? null, c.activeTo ?? null,
      c.audience ? JSON.stringify(c.audience) : null, now])));
  }

  async getCarousel(id: string): Promise<CarouselRecord | null> {
    const { rows } = await guard(() => this.db.query<CarouselRow>('SELECT * FROM carousels WHERE id = $1', [id]));
    return rows[0] ? rowToCarousel(rows[0]) : null;
  }

  async listCarousels(): Promise<CarouselRecord[]> {
    const { rows } = await guard(() => this.db.query<CarouselRow>('SELECT * FROM carousels ORDER BY id'));
    return rows.map(rowToCarousel);
  }

  async deleteCarousel(id: string): Promise<boolean> {
    return ((await guard(() => this.db.query('DELETE FROM carousels WHERE id = $1', [id]))).rowCount ?? 0) > 0;
  }

  async putPageTemplate(t: PageTemplateInput & { name: string }, now: number): Promise<UpsertOutcome> {
    return outcome(await guard(() => this.db.query<{ created: boolean }>(`
      INSERT INTO page_templates (name, rows, max_rows, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
      ON CONFLICT (name) DO UPDATE SET rows = excluded.rows, max_rows = excluded.max_rows, updated_at = excluded.updated_at ${OUTCOME}`,
    [t.name, templateRowsJson(t), t.maxRows ?? null, now])));
  }

  async getPageTemplate(name: string): Promise<PageTemplateRecord | null> {
    const { rows } = await guard(() => this.db.query<TemplateRow>('SELECT * FROM page_templates WHERE name = $1', [name]));
    return rows[0] ? rowToTemplate(rows[0]) : null;
  }

  async listPageTemplates(): Promise<PageTemplateRecord[]> {
    const { rows } = await guard(() => this.db.query<TemplateRow>('SELECT * FROM page_templates ORDER BY name'));
    return rows.map(rowToTemplate);
  }

  async putExperiment(e: ExperimentInput & { id: string }, now: number): Promise<UpsertOutcome> {
    return outcome(await guard(() => this.db.query<{ created: boolean }>(`
      INSERT INTO experiments (id, variants, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
      ON CONFLICT (id) DO UPDATE SET variants = excluded.variants, status = excluded.status, updated_at = excluded.updated_at ${OUTCOME}`,
    [e.id, JSON.stringify(e.variants), e.status, now])));
  }

  async getExperiment(id: string): Promise<ExperimentRecord | null> {
    const { rows } = await guard(() => this.db.query<ExperimentRow>('SELECT * FROM experiments WHERE id = $1', [id]));
    return rows[0] ? rowToExperiment(rows[0]) : null;
  }

  async listExperiments(): Promise<ExperimentRecord[]> {
    const { rows } = await guard(() => this.db.query<ExperimentRow>('SELECT * FROM experiments ORDER BY created_at, id'));
    return rows.map(rowToExperiment);
  }

  async deleteExperiment(id: string): Promise<boolean> {
    return ((await guard(() => this.db.query('DELETE FROM experiments WHERE id = $1', [id]))).rowCount ?? 0) > 0;
  }
}
