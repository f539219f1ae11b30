/** Experiment schemas (API.md § Models and experiments): weighted variants and their report. */
import { Type } from '@sinclair/typebox';
import { Id } from './common.ts';

export const VariantConfigSchema = Type.Object({
  model: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'algorithm or model version for for-you' })),
  template: Type.Optional(Type.String({ pattern: Id.pattern, description: 'page template name' })),
  rowOrder: Type.Optional(Type.Union([Type.Literal('bandit'), Type.Literal('fixed')])),
  budgetMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 10_000, description: 'request time budget' })),
}, { additionalProperties: false });

export const ExperimentBody = Type.Object({
  variants: Type.Array(Type.Object({
    name: Type.String({ pattern: '^[A-Za-z0-9._@-]{1,64}$', description: 'unique in the experiment; 1-64 of [A-Za-z0-9._@-]' }),
    // at most 1e6, so that no sum of weights overflows to Infinity (negative ones are VITRINE_EXPERIMENT_BAD_WEIGHTS)
    weight: Type.Number({ maximum: 1_000_000, description: 'relative share of members (at most 1e6); weights must sum to a positive number' }),
    config: Type.Optional(VariantConfigSchema),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
  status: Type.Union([Type.Literal('draft'), Type.Literal('running'), Type.Literal('stopped')], { default: 'draft' }),
}, { additionalProperties: false, $id: 'ExperimentInput' });

const VariantOut = Type.Object({
  name: Type.String(), weight: Type.Number(),
  config: Type.Object({
    model: Type.Optional(Type.String()), template: Type.Optional(Type.String()),
    rowOrder: Type.Optional(Type.String()), budgetMs: Type.Optional(Type.Integer()),
  }),
  label: Type.String({ description: 'the variant as pages and events carry it: "<experimentId>:<name>"' }),
});

export const ExperimentResponse = Type.Object({
  id: Type.String(),
  variants: Type.Array(VariantOut),
  status: Type.String(),
  createdAt: Type.Number(), updatedAt: Type.Number(),
  warnings: Type.Optional(Type.Array(Type.String())),
}, { $id: 'Experiment' });

const Rate = Type.Object({
  rate: Type.Union([Type.Number(), Type.Null()]),
  low: Type.Union([Type.Number(), Type.Null()]),
  high: Type.Union([Type.Number(), Type.Null()]),
});

const Lift = Type.Object({
  value: Type.Union([Type.Number(), Type.Null()], { description: 'rate / control rate − 1' }),
  low: Type.Union([Type.Number(), Type.Null()]),
  high: Type.Union([Type.Number(), Type.Null()]),
});

export const ExperimentReportResponse = Type.Object({
  experimentId: Type.String(),
  status: Type.String(),
  control: Type.String(),
  confidence: Type.Number(),
  methods: Type.Record(Type.String(), Type.String()),
  variants: Type.Array(Type.Object({
    name: Type.String(), label: Type.String(), weight: Type.Number(), control: Type.Boolean(),
    users: Type.Integer(), pages: Type.Integer(), impressions: Type.Integer(), clicks: Type.Integer(), rents: Type.Integer(),
    clickers: Type.Integer(), renters: Type.Integer(),
    ctr: Rate, rentRate: Rate, conversion: Rate,
    lift: Type.Union([Type.Object({ ctr: Lift, rentRate: Lift, conversion: Lift }), Type.Null()]),
  })),
}, { $id: 'ExperimentReport' });
