// Building blocks shared by the document schemas: names, versions, durations, scalars.
import { z } from 'zod';
import { DURATION_PATTERN } from '../types/duration.js';

export const API_VERSION = 'pipectl/v1';

export const apiVersionSchema = z
  .literal(API_VERSION)
  .meta({ description: `The document format version. Always "${API_VERSION}".` });

/** `schema.table`, lowercase: the dataset id, which is also its DuckDB relation. */
export const DATASET_NAME_PATTERN = '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$';
export const datasetNameSchema = z
  .string()
  .regex(
    new RegExp(DATASET_NAME_PATTERN),
    'a dataset name is "schema.table" in lowercase snake_case, e.g. "sales.orders"',
  )
  .meta({
    description: 'Dataset id as "schema.table" (lowercase snake_case). It is also the DuckDB relation name.',
  });

export const COLUMN_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
export const columnNameSchema = z
  .string()
  .regex(
    new RegExp(COLUMN_NAME_PATTERN),
    'a column name starts with a letter or "_" and has only letters, digits and "_"',
  )
  .meta({ description: 'Column name: letters, digits and "_" (snake_case recommended).' });

export const IDENTIFIER_PATTERN = '^[a-z][a-z0-9_]*$';
export const identifierSchema = z
  .string()
  .regex(new RegExp(IDENTIFIER_PATTERN), 'a name is lowercase snake_case, e.g. "orders_daily"');

/** `dataset.column`, e.g. `sales.customers.customer_id`. */
export const COLUMN_REF_PATTERN = '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$';
export const columnRefSchema = z
  .string()
  .regex(
    new RegExp(COLUMN_REF_PATTERN),
    'a column reference is "schema.table.column", e.g. "sales.customers.customer_id"',
  )
  .meta({ description: 'A column of another dataset: "schema.table.column".' });

export const SEMVER_PATTERN = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?$';
export const semverSchema = z
  .string()
  .regex(new RegExp(SEMVER_PATTERN), 'a version is semver "MAJOR.MINOR.PATCH", e.g. "1.4.0"')
  .meta({ description: 'Semantic version of the contract: a breaking change needs a major bump.' });

export const durationSchema = z
  .string()
  .regex(
    new RegExp(DURATION_PATTERN),
    'a duration is a number with a unit (ms, s, m, h, d, w), e.g. "90s", "26h", "1h30m"',
  )
  .meta({ description: 'A duration such as "90s", "15m", "26h", "1d" or "1h30m".' });

export const scalarSchema = z.union([z.string(), z.number(), z.boolean()]);

export const descriptionSchema = z.string().meta({ description: 'Free text for people; Markdown is fine.' });

export const tagsSchema = z.array(z.string()).meta({ description: 'Labels for search and grouping.' });
