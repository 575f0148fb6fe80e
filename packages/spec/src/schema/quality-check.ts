// Quality checks: the vocabulary people know from dbt, Soda and ODCS. The same shape serves a
// contract's dataset-level `quality` and a pipeline step's extra `gates`.
import { z } from 'zod';
import {
  columnNameSchema,
  columnRefSchema,
  durationSchema,
  identifierSchema,
  scalarSchema,
} from './common.js';

export const MAX_FAILING_PATTERN = '^\\d+(\\.\\d+)?%$';

const common = {
  name: identifierSchema
    .optional()
    .meta({ description: 'Id of the check in reports; defaults to "<check>_<column>".' }),
  description: z.string().optional(),
  severity: z
    .enum(['error', 'warn'])
    .default('error')
    .meta({ description: '"error" blocks publication (default); "warn" reports and continues.' }),
  maxFailing: z
    .union([
      z.number().int().nonnegative(),
      z.string().regex(new RegExp(MAX_FAILING_PATTERN), 'a percentage such as "0.5%"'),
    ])
    .default(0)
    .meta({
      description:
        'Failing rows tolerated: a row count (e.g. 10) or a percentage of rows (e.g. "0.5%"). Default 0.',
    }),
  samples: z
    .number()
    .int()
    .min(0)
    .max(100)
    .default(5)
    .meta({ description: 'How many failing rows to keep as samples in the report (default 5).' }),
  onFail: z.enum(['fail', 'quarantine']).default('fail').meta({
    description:
      '"fail" fails the gate; "quarantine" moves failing rows to the quarantine table and continues.',
  }),
};

const column = columnNameSchema.meta({ description: 'The column checked.' });

export const notNullCheckSchema = z
  .strictObject({ check: z.literal('not_null'), column, ...common })
  .meta({ title: 'not_null', description: 'No null values in the column.' });

export const uniqueCheckSchema = z
  .strictObject({
    check: z.literal('unique'),
    column: column.optional(),
    columns: z
      .array(columnNameSchema)
      .min(1)
      .optional()
      .meta({ description: 'A combination of columns that must be unique together.' }),
    ...common,
  })
  .meta({
    title: 'unique',
    description: 'No duplicate values in a column (`column`) or column combination (`columns`).',
  });

export const acceptedValuesCheckSchema = z
  .strictObject({
    check: z.literal('accepted_values'),
    column,
    values: z.array(scalarSchema).min(1),
    ...common,
  })
  .meta({ title: 'accepted_values', description: 'Every non-null value is one of `values`.' });

export const rangeCheckSchema = z
  .strictObject({
    check: z.literal('range'),
    column,
    min: z.union([z.number(), z.string()]).optional(),
    max: z.union([z.number(), z.string()]).optional(),
    exclusive: z.boolean().default(false).meta({ description: 'Bounds are exclusive instead of inclusive.' }),
    ...common,
  })
  .meta({
    title: 'range',
    description: 'Every non-null value lies between `min` and `max` (numbers, dates or timestamps).',
  });

export const patternCheckSchema = z
  .strictObject({ check: z.literal('pattern'), column, regex: z.string().min(1), ...common })
  .meta({
    title: 'pattern',
    description: 'Every non-null value fully matches the regular expression (DuckDB `regexp_full_match`).',
  });

export const missingCountCheckSchema = z
  .strictObject({
    check: z.literal('missing_count'),
    column,
    missingValues: z
      .array(scalarSchema)
      .default([''])
      .meta({ description: 'Values that count as missing besides null (default: empty string).' }),
    ...common,
  })
  .meta({
    title: 'missing_count',
    description: 'Null or "missing" values (such as "" or "N/A") stay under `maxFailing`.',
  });

export const relationshipsCheckSchema = z
  .strictObject({ check: z.literal('relationships'), column, to: columnRefSchema, ...common })
  .meta({
    title: 'relationships',
    description: 'Every non-null value exists in the referenced column (referential integrity).',
  });

export const rowCountCheckSchema = z
  .strictObject({
    check: z.literal('row_count'),
    min: z.number().int().nonnegative().optional(),
    max: z.number().int().nonnegative().optional(),
    ...common,
  })
  .meta({ title: 'row_count', description: 'The number of rows lies between `min` and `max`.' });

export const freshnessCheckSchema = z
  .strictObject({ check: z.literal('freshness'), column, maxAge: durationSchema, ...common })
  .meta({
    title: 'freshness',
    description: 'The newest value of a timestamp column is at most `maxAge` old.',
  });

export const sqlCheckSchema = z
  .strictObject({
    check: z.literal('sql'),
    query: z.string().min(1).meta({
      description: 'A read-only SELECT returning the failing rows; `{{ this }}` is the relation under test.',
    }),
    ...common,
  })
  .meta({ title: 'sql', description: 'A custom read-only query; each row it returns is a failing row.' });

export const qualityCheckSchema = z.discriminatedUnion('check', [
  notNullCheckSchema,
  uniqueCheckSchema,
  acceptedValuesCheckSchema,
  rangeCheckSchema,
  patternCheckSchema,
  missingCountCheckSchema,
  relationshipsCheckSchema,
  rowCountCheckSchema,
  freshnessCheckSchema,
  sqlCheckSchema,
]);

export type QualityCheck = z.infer<typeof qualityCheckSchema>;
export type QualityCheckKind = QualityCheck['check'];
export const QUALITY_CHECK_KINDS: readonly QualityCheckKind[] = qualityCheckSchema.options.map(
  (option) => option.shape.check.value,
);
