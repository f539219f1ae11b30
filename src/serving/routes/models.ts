/** Model lifecycle routes (API.md § Models): the registry, training jobs, activate, rollback. Admin scope. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { VitrineError } from '../../core/errors.ts';
import { BoundedRecord, ErrorBody, errorResponses, Id, idParams } from '../../core/schemas/common.ts';
import { recordedChampion } from '../../pipeline/champion.ts';
import { readEvaluationReport } from '../../pipeline/evaluation-report-file.ts';
import type { AppContext } from '../context.ts';
import { rowKindModels } from '../models/row-kind-models.ts';
import type { TrainRequest } from '../models/training-jobs.ts';

const ModelRecordSchema = Type.Object({
  version: Type.String(),
  algorithm: Type.String(),
  status: Type.String({ description: 'active | previous | candidate | training | rejected | retired | failed (training never finished: cancelled, or the process stopped)' }),
  createdAt: Type.Number(),
  dataFrom: Type.Optional(Type.Number()),
  dataTo: Type.Optional(Type.Number()),
  metrics: Type.Record(Type.String(), Type.Number(), { description: 'trainSeconds and the validation gate\'s metrics' }),
  artifactPath: Type.Optional(Type.String()),
  params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  note: Type.Optional(Type.String()),
});

const ChampionSchema = Type.Object({
  algorithm: Type.String(),
  version: Type.Union([Type.String(), Type.Null()], { description: 'its active version (what fills for-you)' }),
  scores: Type.Record(Type.String(), Type.Record(Type.String(), Type.Number()), {
    description: 'the validation gate\'s scores that crowned it, on one recent split: metric → algorithm → value',
  }),
  serving: Type.Boolean({ description: 'false when serving.primaryAlgorithm pins another algorithm' }),
});

const RowKindModelSchema = Type.Object({
  kind: Type.String({ description: 'a page row kind, or similar (GET /v1/items/{id}/similar)' }),
  asks: Type.Array(Type.String(), { description: 'the algorithms the row asks, in order (for the primary algorithm); empty: it uses no model' }),
  algorithm: Type.Union([Type.String(), Type.Null()], { description: 'the first of them with a loaded version' }),
  version: Type.Union([Type.String(), Type.Null()]),
});

const EvaluationSchema = Type.Object({
  writtenAt: Type.Number({ description: 'epoch ms' }),
  command: Type.String({ description: 'the vitrine evaluate command line that made it' }),
  citation: Type.Optional(Type.String({ description: 'the data\'s citation (Rent the Runway: Misra, Wan & McAuley, RecSys 2018)' })),
  report: Type.Object({
    results: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()), { description: 'algorithm → ndcg, recall, precision, hitRate, map, coverage, trainSeconds, …' }),
  }, { additionalProperties: true, description: 'the `vitrine evaluate --json` report: protocol, k, users, items, dataset, cutoff, source, results, … (docs/validation.md)' }),
});

const JobSchema = Type.Object({
  jobId: Type.String(),
  kind: Type.Literal('train'),
  status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('cancelled')]),
  algorithms: Type.Optional(Type.Array(Type.String())),
  createdAt: Type.Number(),
  finishedAt: Type.Optional(Type.Number()),
  progress: Type.Optional(Type.Object({ algorithm: Type.String(), fraction: Type.Number(), label: Type.String() })),
  log: Type.Array(Type.String()),
  models: Type.Array(Type.Object({
    version: Type.String(), algorithm: Type.String(), status: Type.String(),
    metrics: Type.Record(Type.String(), Type.Number()), note: Type.Optional(Type.String()),
  })),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});

const TrainBody = Type.Object({
  algorithms: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 20 })),
  // algorithm → parameter → value, keys bounded like every record of a request (issue 20)
  params: Type.Optional(BoundedRecord(64, 20, BoundedRecord(64, 50, Type.Unknown()))),
}, { additionalProperties: false });

const RollbackBody = Type.Object({ algorithm: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }, { additionalProperties: false });

const lifecycleErrors = { ...errorResponses, 409: ErrorBody, 500: ErrorBody };

/** A POST without a body means "all defaults": validate it as `{}`. */
const emptyBodyIsDefaults = async (request: FastifyRequest): Promise<void> => {
  request.body ??= {};
};

/**
 * Registers GET /v1/models, GET /v1/models/evaluation, POST /v1/models/train, GET /v1/jobs/:jobId, POST /v1/jobs/:jobId/cancel,
 * POST /v1/models/:version/activate, POST /v1/models/rollback.
 */
export function modelRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { store, models, jobs } = ctx;

  app.get('/v1/models', {
    config: { scope: 'admin' },
    schema: {
      tags: ['models'], summary: 'Model versions (newest first) with status, data range and offline metrics; what is loaded',
      response: {
        200: Type.Object({
          primaryAlgorithm: Type.String({ description: 'the algorithm of for-you: the champion unless serving.primaryAlgorithm pins one' }),
          champion: Type.Union([ChampionSchema, Type.Null()], { description: 'the top-N ranker the last gated training run crowned' }),
          serving: Type.Record(Type.String(), Type.Object({ current: Type.Optional(Type.String()), previous: Type.Optional(Type.String()) })),
          fault: Type.Union([Type.String(), Type.Null()]),
          training: Type.Union([Type.String(), Type.Null()], { description: 'the running job id' }),
          models: Type.Array(ModelRecordSchema),
          rowKinds: Type.Array(RowKindModelSchema, { description: 'which loaded version serves each row kind (for the default variant)' }),
        }),
        ...lifecycleErrors,
      },
    },
  }, async () => {
    const records = await store.listModels();
    const champion = recordedChampion(records);
    const loaded = models.serving();
    return {
      primaryAlgorithm: models.primaryAlgorithm,
      champion: champion ? {
        algorithm: champion.algorithm,
        version: records.find((r) => r.algorithm === champion.algorithm && r.status === 'active')?.version ?? null,
        scores: champion.scores,
        serving: models.primaryAlgorithm === champion.algorithm,
      } : null,
      serving: loaded,
      fault: ctx.fault ?? null,
      training: jobs.running()?.jobId ?? null,
      models: records,
      rowKinds: rowKindModels(models.primaryAlgorithm, (algorithm) => loaded[algorithm]?.current),
    };
  });

  app.get('/v1/models/evaluation', {
    config: { scope: 'admin' },
    schema: {
      tags: ['models'], summary: 'The latest offline evaluation kept in the data dir (vitrine evaluate --data DIR), or null',
      response: { 200: Type.Object({ evaluation: Type.Union([EvaluationSchema, Type.Null()]) }), ...lifecycleErrors },
    },
  }, async () => ({ evaluation: (await readEvaluationReport(ctx.config.dataDir)) ?? null }));

  app.post<{ Body: TrainRequest }>('/v1/models/train', {
    config: { scope: 'admin' },
    preValidation: emptyBodyIsDefaults,
    schema: {
      tags: ['models'],
      summary: 'Train in the background (validated by the gate, activated when it passes); 409 while a job runs',
      body: TrainBody, response: { 202: JobSchema, ...lifecycleErrors },
    },
  }, async (request, reply) => reply.status(202).send(jobs.start(request.body)));

  app.get<{ Params: { jobId: string } }>('/v1/jobs/:jobId', {
    config: { scope: 'admin' },
    schema: { tags: ['models'], summary: 'A training job: status, progress, log, the versions it registered', params: idParams('jobId'),
      response: { 200: JobSchema, ...lifecycleErrors } },
  }, async (request) => {
    const job = jobs.get(request.params.jobId);
    if (!job) throw new VitrineError('VITRINE_JOB_NOT_FOUND', `no job "${request.params.jobId}"`);
    return job;
  });

  app.post<{ Params: { jobId: string } }>('/v1/jobs/:jobId/cancel', {
    config: { scope: 'admin' },
    preValidation: emptyBodyIsDefaults,
    schema: {
      tags: ['models'], params: idParams('jobId'), body: Type.Object({}, { additionalProperties: false }),
      summary: 'Cancel a running training job; answers once it has stopped (status cancelled; the version it was training is failed, never active)',
      response: { 200: JobSchema, ...lifecycleErrors },
    },
  }, async (request) => jobs.cancel(request.params.jobId));

  app.post<{ Params: { version: string } }>('/v1/models/:version/activate', {
    config: { scope: 'admin' },
    schema: {
      tags: ['models'], summary: 'Serve this version (loaded and verified first; the active one becomes previous)',
      params: Type.Object({ version: Id }, { additionalProperties: false }),
      response: { 200: Type.Object({ model: ModelRecordSchema }), ...lifecycleErrors },
    },
  }, async (request) => {
    const model = await models.activate(request.params.version);
    await ctx.serving.apply({ kind: 'models' });
    return { model };
  });

  app.post<{ Body: { algorithm?: string } }>('/v1/models/rollback', {
    config: { scope: 'admin' },
    preValidation: emptyBodyIsDefaults,
    schema: {
      tags: ['models'], summary: 'Serve the previous version again (of the primary algorithm unless named); the current one is retired',
      body: RollbackBody,
      response: { 200: Type.Object({ active: ModelRecordSchema, retired: Type.Optional(ModelRecordSchema) }), ...lifecycleErrors },
    },
  }, async (request) => {
    const outcome = await models.rollback(request.body.algorithm);
    await ctx.serving.apply({ kind: 'models' });
    return outcome;
  });
}
