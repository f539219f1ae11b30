/** Experiments (API.md § Models and experiments), admin scope: weighted variants and their report. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { VitrineError } from '../../core/errors.ts';
import { errorResponses, idParams } from '../../core/schemas/common.ts';
import { ExperimentBody, ExperimentReportResponse, ExperimentResponse } from '../../core/schemas/experiments.ts';
import type { ExperimentRecord } from '../../storage/store.ts';
import type { AppContext } from '../context.ts';
import { experimentReport } from '../experiments/report.ts';
import { variantLabel } from '../experiments/resolve.ts';
import { checkVariantReferences, type ExperimentBodyShape, validateExperiment } from '../experiments/validate-experiment.ts';

const params = idParams('experimentId');
type Params = { experimentId: string };

const view = (e: ExperimentRecord) => ({ ...e, variants: e.variants.map((v) => ({ ...v, label: variantLabel(e.id, v.name) })) });

/**
 * Registers PUT/GET /v1/experiments/:experimentId, GET …/report and GET /v1/experiments. `flushServed`
 * logs the pages served but not yet logged (page-engine.ts), so a report counts every page served before it.
 */
export function experimentRoutes(app: FastifyInstance, ctx: AppContext, flushServed: () => Promise<void> = async () => {}): void {
  const { store, clock } = ctx;
  const found = async (id: string): Promise<ExperimentRecord> => {
    const e = await store.getExperiment(id);
    if (!e) throw new VitrineError('VITRINE_EXPERIMENT_NOT_FOUND', `no experiment "${id}"`);
    return e;
  };

  app.put<{ Params: Params; Body: ExperimentBodyShape }>('/v1/experiments/:experimentId', {
    config: { scope: 'admin' },
    schema: {
      tags: ['experiments'], params, body: ExperimentBody,
      summary: 'Create or replace an experiment: weighted variants (assignment by hash of member and experiment) and a status',
      response: { 200: ExperimentResponse, 201: ExperimentResponse, ...errorResponses },
    },
  }, async (request, reply) => {
    const id = request.params.experimentId;
    const input = validateExperiment(id, request.body);
    const warnings = await checkVariantReferences(input, {
      models: await store.listModels(), templateExists: (name) => ctx.merchandising.hasTemplate(name),
    });
    const outcome = await store.putExperiment({ id, ...input }, clock());
    await ctx.merchandising.reload();
    await ctx.serving.apply({ kind: 'merchandising' });
    const running = await ctx.merchandising.runningExperiments();
    if (input.status === 'running' && running.length > 1 && running[0].id !== id) {
      warnings.push(`experiment "${running[0].id}" is running and older: members take part in it only until it stops`);
    }
    const body = { ...view(await found(id)), ...(warnings.length ? { warnings } : {}) };
    return reply.status(outcome === 'created' ? 201 : 200).send(body);
  });

  app.delete<{ Params: Params }>('/v1/experiments/:experimentId', {
    config: { scope: 'admin' },
    schema: {
      tags: ['experiments'], params, summary: 'Delete an experiment: members are no longer assigned to it; its served pages and events keep their labels',
      response: { 200: Type.Object({ id: Type.String(), deleted: Type.Boolean() }), ...errorResponses },
    },
  }, async (request) => {
    const id = request.params.experimentId;
    if (!(await store.deleteExperiment(id))) throw new VitrineError('VITRINE_EXPERIMENT_NOT_FOUND', `no experiment "${id}"`);
    await ctx.merchandising.reload();
    await ctx.serving.apply({ kind: 'merchandising' });
    return { id, deleted: true };
  });

  app.get<{ Params: Params }>('/v1/experiments/:experimentId', {
    config: { scope: 'admin' },
    schema: { tags: ['experiments'], summary: 'One experiment', params, response: { 200: ExperimentResponse, ...errorResponses } },
  }, async (request) => view(await found(request.params.experimentId)));

  app.get('/v1/experiments', {
    config: { scope: 'admin' },
    schema: {
      tags: ['experiments'], summary: 'Every experiment, oldest first',
      response: { 200: Type.Object({ experiments: Type.Array(ExperimentResponse) }), ...errorResponses },
    },
  }, async () => ({ experiments: (await store.listExperiments()).map(view) }));

  app.get<{ Params: Params }>('/v1/experiments/:experimentId/report', {
    config: { scope: 'admin' },
    schema: {
      tags: ['experiments'], params,
      summary: 'Per variant: users, pages, impressions, clicks, rents; rates with 95% Wilson intervals; lift vs control with 95% intervals',
      response: { 200: ExperimentReportResponse, ...errorResponses },
    },
  }, async (request) => {
    const experiment = await found(request.params.experimentId);
    await flushServed();
    return experimentReport(store, experiment);
  });
}
