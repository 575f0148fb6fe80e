// The Contract document: the promise a dataset makes to its consumers.
import { z } from 'zod';
import {
  apiVersionSchema,
  columnNameSchema,
  columnRefSchema,
  datasetNameSchema,
  descriptionSchema,
  durationSchema,
  scalarSchema,
  semverSchema,
  tagsSchema,
} from './common.js';
import { COMPATIBILITY_MODES } from './compatibility-modes.js';
import { qualityCheckSchema } from './quality-check.js';

export { COMPATIBILITY_MODES, type CompatibilityMode } from './compatibility-modes.js';

export const PII_CATEGORIES = [
  'name',
  'email',
  'phone',
  'address',
  'birth_date',
  'government_id',
  'payment',
  'ip_address',
  'device_id',
  'location',
  'other',
] as const;

export const columnSchema = z
  .strictObject({
    name: columnNameSchema,
    type: z.string().min(1).meta({
      description:
        'DuckDB type: integer, bigint, double, decimal(12,2), varchar, date, timestamp, timestamptz, boolean, uuid, json, varchar[], struct(a integer, b varchar), map(varchar, integer). A length in varchar(64) is not kept by DuckDB and promises nothing: use maxLength.',
    }),
    description: descriptionSchema.optional(),
    nullable: z.boolean().default(true).meta({
      description:
        'Whether the column may hold nulls (default true). Primary key columns are never nullable.',
    }),
    primaryKey: z.boolean().default(false).meta({
      description: 'Part of the primary key; several columns form a composite key in column order.',
    }),
    unique: z.boolean().default(false).meta({ description: 'Values are unique across the dataset.' }),
    references: columnRefSchema
      .optional()
      .meta({ description: 'Foreign key: every non-null value exists in "schema.table.column".' }),
    acceptedValues: z
      .array(scalarSchema)
      .min(1)
      .optional()
      .meta({ description: 'The only values allowed (an enum).' }),
    pattern: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'A regular expression every non-null value fully matches.' }),
    min: z.union([z.number(), z.string()]).optional().meta({
      description: 'Smallest allowed value (inclusive): a number, or an ISO date/timestamp string.',
    }),
    max: z
      .union([z.number(), z.string()])
      .optional()
      .meta({ description: 'Largest allowed value (inclusive).' }),
    minLength: z.number().int().nonnegative().optional(),
    maxLength: z.number().int().nonnegative().optional(),
    pii: z
      .enum(PII_CATEGORIES)
      .optional()
      .meta({ description: 'Marks personal data and its category; changes to it need review.' }),
    default: scalarSchema
      .optional()
      .meta({ description: 'Value consumers may assume when the column is absent from older data.' }),
    renamedFrom: columnNameSchema
      .optional()
      .meta({ description: 'The previous name of a renamed column, so the change is reviewed as a rename.' }),
    tags: tagsSchema.optional(),
  })
  .meta({ title: 'Column' });

export const freshnessSchema = z
  .strictObject({
    column: columnNameSchema.meta({
      description: 'Timestamp column whose newest value shows how fresh the data is.',
    }),
    maxAge: durationSchema.meta({ description: 'Newest row at most this old, e.g. "26h".' }),
    severity: z.enum(['error', 'warn']).default('warn'),
  })
  .meta({ title: 'Freshness', description: 'The freshness promise (SLA) of the dataset.' });

export const deprecationSchema = z
  .strictObject({
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD, e.g. "2027-03-31"')
      .meta({
        description:
          'The day (UTC) from which the contract may be removed; removing it earlier, or without a deprecation, is DATASET_REMOVED (breaking).',
      }),
    reason: z.string().min(1).meta({ description: 'Why, and what consumers should do instead.' }),
    replacedBy: datasetNameSchema
      .optional()
      .meta({ description: 'The dataset consumers should read instead, e.g. "sales.orders_v2".' }),
  })
  .meta({
    title: 'Deprecation',
    description:
      "Announces the dataset's removal (after dbt's deprecation_date): a contract may be removed without breaking its promise only on or after `date`.",
  });

export const compatibilityWaiverSchema = z
  .strictObject({
    rule: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/, 'a rule id in UPPER_SNAKE_CASE, e.g. "FIELD_REMOVED"')
      .meta({ description: 'The compatibility rule id waived, e.g. FIELD_REMOVED.' }),
    path: z
      .string()
      .optional()
      .meta({ description: 'Where it is waived, e.g. "columns.legacy_code"; all paths when absent.' }),
    reason: z
      .string()
      .min(1)
      .meta({ description: 'Why this is acceptable: consumers agreed, column was never populated, ...' }),
  })
  .meta({ title: 'Waiver' });

export const contractSchema = z
  .strictObject({
    apiVersion: apiVersionSchema,
    kind: z.literal('Contract'),
    name: datasetNameSchema,
    version: semverSchema,
    owner: z
      .string()
      .min(1)
      .meta({ description: 'Team or person accountable for the dataset, e.g. "sales-data@example.com".' }),
    description: descriptionSchema.optional(),
    compatibility: z.enum(COMPATIBILITY_MODES).default('forward').meta({
      description:
        'Promise to consumers: forward (default; old readers keep working), backward, full, none, or *_transitive (against every published version).',
    }),
    approvers: z
      .array(z.string().min(1))
      .default([])
      .meta({ description: 'People who may approve a breaking change to this dataset.' }),
    tags: tagsSchema.optional(),
    columns: z.array(columnSchema).min(1, 'a contract needs at least one column'),
    quality: z
      .array(qualityCheckSchema)
      .default([])
      .meta({ description: 'Dataset-level quality rules, checked on every run.' }),
    freshness: freshnessSchema.optional(),
    deprecation: deprecationSchema.optional(),
    except: z
      .array(compatibilityWaiverSchema)
      .default([])
      .meta({ description: 'Compatibility rules waived for this contract, each with a written reason.' }),
  })
  .meta({
    title: 'pipectl Contract',
    description: 'A data contract: the schema and promises of one dataset.',
  });

export type Contract = z.infer<typeof contractSchema>;
export type ContractInput = z.input<typeof contractSchema>;
export type Column = z.infer<typeof columnSchema>;
export type Freshness = z.infer<typeof freshnessSchema>;
export type CompatibilityWaiver = z.infer<typeof compatibilityWaiverSchema>;
export type Deprecation = z.infer<typeof deprecationSchema>;
export type PiiCategory = (typeof PII_CATEGORIES)[number];

/** Primary key columns are never null, whatever `nullable` says. */
export function isNullable(column: Column): boolean {
  return column.nullable && !column.primaryKey;
}

/** The primary key columns, in declaration order (empty when the contract has none). */
export function primaryKeyOf(contract: Contract): string[] {
  return contract.columns.filter((column) => column.primaryKey).map((column) => column.name);
}
