// The Pipeline document: sources bound to contracts, SQL steps producing contracts, gates,
// retries, approvals and a schedule.
import { z } from 'zod';
import {
  apiVersionSchema,
  columnNameSchema,
  datasetNameSchema,
  descriptionSchema,
  durationSchema,
  identifierSchema,
  scalarSchema,
  tagsSchema,
} from './common.js';
import { qualityCheckSchema } from './quality-check.js';

const sourceCommon = {
  name: identifierSchema.meta({ description: "Name used in SQL as {{ source('name') }}." }),
  contract: datasetNameSchema.meta({
    description: 'The contract the source data must satisfy; its name is the relation the data lands in.',
  }),
  description: descriptionSchema.optional(),
};

const filePath = z
  .string()
  .min(1)
  .meta({ description: 'File path or glob, relative to the project directory, e.g. "data/orders/*.csv".' });

export const csvSourceSchema = z
  .strictObject({
    ...sourceCommon,
    kind: z.literal('csv'),
    path: filePath,
    header: z.boolean().default(true),
    delimiter: z.string().min(1).max(1).optional(),
    quote: z.string().min(1).max(1).optional(),
    nullValues: z
      .array(z.string())
      .optional()
      .meta({ description: 'Strings read as null, e.g. ["", "NULL"].' }),
    dateFormat: z.string().optional().meta({ description: 'strptime format for dates, e.g. "%d/%m/%Y".' }),
    timestampFormat: z.string().optional(),
  })
  .meta({ title: 'CSV source' });

export const parquetSourceSchema = z
  .strictObject({ ...sourceCommon, kind: z.literal('parquet'), path: filePath })
  .meta({ title: 'Parquet source' });

export const jsonSourceSchema = z
  .strictObject({
    ...sourceCommon,
    kind: z.literal('json'),
    path: filePath,
    format: z
      .enum(['auto', 'ndjson', 'array'])
      .default('auto')
      .meta({ description: 'ndjson: one record per line; array: one JSON array; auto: detect.' }),
  })
  .meta({
    title: 'JSON source',
    description: 'JSON or NDJSON records, validated against the contract; invalid records are quarantined.',
  });

export const postgresSourceSchema = z
  .strictObject({
    ...sourceCommon,
    kind: z.literal('postgres'),
    url: z.string().min(1).meta({
      description:
        // biome-ignore lint/suspicious/noTemplateCurlyInString: documents the ${VAR} syntax users write in YAML
        'Connection URL; ${VAR} is read from the environment at run time, e.g. "${PIPECTL_PG_URL}".',
    }),
    table: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Table to read, e.g. "public.orders". Give either table or query.' }),
    query: z.string().min(1).optional().meta({ description: 'A SELECT to read instead of a table.' }),
    incremental: z
      .strictObject({
        cursor: columnNameSchema.meta({
          description:
            "Monotonic column (updated_at, id): only rows above the last successful run's maximum are read.",
        }),
        initial: scalarSchema.optional().meta({ description: 'Lower bound for the very first run.' }),
      })
      .optional(),
    batchSize: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .meta({ description: 'Rows fetched per round trip.' }),
  })
  .meta({ title: 'PostgreSQL source' });

export const sourceSchema = z.discriminatedUnion('kind', [
  csvSourceSchema,
  parquetSourceSchema,
  jsonSourceSchema,
  postgresSourceSchema,
]);

export const MATERIALIZATIONS = ['table', 'view', 'incremental'] as const;

export const retryPolicySchema = z
  .strictObject({
    maximumAttempts: z.number().int().min(1).default(3),
    initialInterval: durationSchema.default('5s'),
    backoffCoefficient: z.number().min(1).default(2),
    maximumInterval: durationSchema.default('5m'),
  })
  .meta({
    title: 'Retry policy',
    description: 'How failed steps are retried. Bad data (a failed gate) is never retried.',
  });

export const stepSchema = z
  .strictObject({
    name: identifierSchema.meta({
      description: "Step name, unique in the pipeline; other steps may {{ ref('name') }} it.",
    }),
    description: descriptionSchema.optional(),
    produces: datasetNameSchema.meta({
      description: "The contract this step's output must satisfy; its name is the published relation.",
    }),
    materialized: z.enum(MATERIALIZATIONS).default('table').meta({
      description: "table (rebuilt each run), view, or incremental (merged on the contract's primary key).",
    }),
    sql: z.string().min(1).optional().meta({
      description: "A SELECT; use {{ ref('step or dataset') }} and {{ source('name') }} for inputs.",
    }),
    sqlFile: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Path of a .sql file with the SELECT, relative to this pipeline file.' }),
    uniqueKey: z
      .array(columnNameSchema)
      .min(1)
      .optional()
      .meta({ description: "Merge key for incremental steps; defaults to the contract's primary key." }),
    gates: z
      .array(qualityCheckSchema)
      .default([])
      .meta({ description: "Checks on top of the contract's own, run before publishing." }),
    retry: retryPolicySchema.optional(),
  })
  .meta({ title: 'Step' });

export const approvalPolicySchema = z
  .strictObject({
    timeout: durationSchema
      .default('72h')
      .meta({ description: 'How long a run waits for a decision on a breaking change.' }),
    onTimeout: z.enum(['fail', 'reject']).default('fail').meta({
      description: 'fail: the run fails; reject: the change is rejected, nothing is published, the run ends.',
    }),
  })
  .meta({ title: 'Approval policy' });

export const scheduleSchema = z
  .strictObject({
    cron: z.string().min(1).meta({ description: 'Five-field cron expression, e.g. "0 6 * * *".' }),
    timezone: z.string().default('UTC').meta({ description: 'IANA time zone, e.g. "Europe/Berlin".' }),
    catchup: z.boolean().default(false).meta({ description: 'Run missed intervals after downtime.' }),
  })
  .meta({ title: 'Schedule' });

export const pipelineSchema = z
  .strictObject({
    apiVersion: apiVersionSchema,
    kind: z.literal('Pipeline'),
    name: identifierSchema.meta({
      description: 'Pipeline name, unique in the project, e.g. "orders_daily".',
    }),
    description: descriptionSchema.optional(),
    owner: z.string().min(1).optional(),
    tags: tagsSchema.optional(),
    schedule: scheduleSchema.optional(),
    sources: z.array(sourceSchema).default([]),
    steps: z.array(stepSchema).min(1, 'a pipeline needs at least one step'),
    retry: retryPolicySchema.default({
      maximumAttempts: 3,
      initialInterval: '5s',
      backoffCoefficient: 2,
      maximumInterval: '5m',
    }),
    approval: approvalPolicySchema.default({ timeout: '72h', onTimeout: 'fail' }),
  })
  .meta({
    title: 'pipectl Pipeline',
    description: 'Sources, SQL steps and gates that build contracted datasets.',
  });

export type Pipeline = z.infer<typeof pipelineSchema>;
export type PipelineInput = z.input<typeof pipelineSchema>;
export type Source = z.infer<typeof sourceSchema>;
export type SourceKind = Source['kind'];
export type Step = z.infer<typeof stepSchema>;
export type Materialization = (typeof MATERIALIZATIONS)[number];
export type RetryPolicy = z.infer<typeof retryPolicySchema>;
export type ApprovalPolicy = z.infer<typeof approvalPolicySchema>;
export type Schedule = z.infer<typeof scheduleSchema>;
