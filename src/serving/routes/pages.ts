/** Page templates (API.md § Merchandising), admin scope. `home` exists built in until one is stored. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { VitrineError } from '../../core/errors.ts';
import { errorResponses, idParams } from '../../core/schemas/common.ts';
import { PageTemplateBody, PageTemplateResponse } from '../../core/schemas/merchandising.ts';
import type { PageTemplateInput, PageTemplateRecord, Store } from '../../storage/store.ts';
import type { AppContext } from '../context.ts';
import { DEFAULT_TEMPLATES } from '../merchandising/default-templates.ts';
import type { PageTemplate } from '../page/types.ts';
import { isRowKind, ROW_KINDS } from '../page/types.ts';

const params = idParams('pageName');
type Params = { pageName: string };

/** Checks row kinds and carousel references; returns warnings for carousels that do not exist (yet). */
async function checkTemplate(body: PageTemplateInput, store: Store): Promise<string[]> {
  const warnings: string[] = [];
  for (const [k, row] of body.rows.entries()) {
    if (!isRowKind(row.kind)) {
      throw new VitrineError('VITRINE_PAGE_INVALID', `rows[${k}].kind "${row.kind}" is not one of ${ROW_KINDS.join(', ')}`);
    }
    if (row.carouselId === undefined) continue;
    if (row.kind !== 'curated') throw new VitrineError('VITRINE_PAGE_INVALID', `rows[${k}]: only curated rows take a carouselId`);
    if (!(await store.getCarousel(row.carouselId))) {
      warnings.push(`rows[${k}]: no carousel "${row.carouselId}" yet; the row is left out of pages until it exists`);
    }
  }
  return warnings;
}

const stored = (t: PageTemplateRecord) => ({ ...t, source: 'stored' as const });
const builtIn = (t: Readonly<PageTemplate>) => ({ ...t, source: 'default' as const });

/** Registers PUT/GET /v1/pages/:pageName and GET /v1/pages. */
export function pageTemplateRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { store, clock } = ctx;

  app.put<{ Params: Params; Body: PageTemplateInput }>('/v1/pages/:pageName', {
    config: { scope: 'admin' },
    schema: {
      tags: ['merchandising'], params, body: PageTemplateBody,
      summary: 'Create or replace the template a page is composed from; a curated row without carouselId = every active carousel',
      response: { 200: PageTemplateResponse, 201: PageTemplateResponse, ...errorResponses },
    },
  }, async (request, reply) => {
    const name = request.params.pageName;
    const warnings = await checkTemplate(request.body, store);
    const outcome = await store.putPageTemplate({ name, ...request.body }, clock());
    await ctx.merchandising.reload();
    await ctx.serving.apply({ kind: 'merchandising' });
    const saved = await store.getPageTemplate(name);
    if (!saved) throw new VitrineError('VITRINE_INTERNAL_ERROR', `template "${name}" vanished after it was stored`);
    return reply.status(outcome === 'created' ? 201 : 200).send({ ...stored(saved), ...(warnings.length ? { warnings } : {}) });
  });

  app.get<{ Params: Params }>('/v1/pages/:pageName', {
    config: { scope: 'admin' },
    schema: {
      tags: ['merchandising'], summary: 'The template of a page: stored, else built in (home)', params,
      response: { 200: PageTemplateResponse, ...errorResponses },
    },
  }, async (request) => {
    const name = request.params.pageName;
    const saved = await store.getPageTemplate(name);
    if (saved) return stored(saved);
    const fallback = DEFAULT_TEMPLATES.get(name);
    if (fallback) return builtIn(fallback);
    throw new VitrineError('VITRINE_PAGE_NOT_FOUND', `no page template "${name}"`);
  });

  app.get('/v1/pages', {
    config: { scope: 'admin' },
    schema: {
      tags: ['merchandising'], summary: 'Every page template: stored ones, and built-in ones not overridden',
      response: { 200: Type.Object({ pages: Type.Array(PageTemplateResponse) }), ...errorResponses },
    },
  }, async () => {
    const saved = await store.listPageTemplates();
    const names = new Set(saved.map((t) => t.name));
    const defaults = [...DEFAULT_TEMPLATES.values()].filter((t) => !names.has(t.name)).map(builtIn);
    return { pages: [...saved.map(stored), ...defaults].sort((a, b) => (a.name < b.name ? -1 : 1)) };
  });
}
