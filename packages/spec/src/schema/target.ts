// Targets in `pipectl.yaml`: named places a project runs (dev, ci, prod…), each a warehouse (the
// embedded DuckDB file, or a DuckLake lakehouse) and optionally a Temporal to talk to. Secrets are
// never written here: `${VAR}` in a value reads the environment variable when the target is used.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: documents the ${VAR} syntax users write in YAML
import { z } from 'zod';

/** `${VAR}`: an environment variable read when the target is used. */
export const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

const withEnv = (description: string) =>
  z
    .string()
    .min(1)
    .meta({
      description: `${description} \`\${VAR}\` reads an environment variable when the target is used.`,
    });

export const duckdbWarehouseSchema = z
  .strictObject({
    kind: z.literal('duckdb'),
    path: z
      .string()
      .min(1)
      .default('.pipectl/warehouse.duckdb')
      .meta({ description: 'DuckDB file, relative to pipectl.yaml. One process writes it at a time.' }),
  })
  .meta({ description: 'The embedded warehouse: one DuckDB file on this machine (zero configuration).' });

export const ducklakeWarehouseSchema = z
  .strictObject({
    kind: z.literal('ducklake'),
    catalog: withEnv(
      'The DuckLake catalog: `postgres:<libpq conninfo>` (many workers and machines; the password from `${PGPASSWORD}`-style variables, never literal), `sqlite:<file>`, or a `<file>.ducklake` DuckDB file (one process at a time). Paths are relative to pipectl.yaml.',
    ),
    dataPath: withEnv(
      "Folder of the lake's Parquet files, which every worker must reach (a shared mount); relative to pipectl.yaml.",
    ),
  })
  .meta({
    description:
      'A DuckLake lakehouse: catalog database + Parquet files. Every worker attaches it; each publication is one snapshot.',
  });

export const warehouseTargetSchema = z
  .discriminatedUnion('kind', [duckdbWarehouseSchema, ducklakeWarehouseSchema])
  .meta({ description: 'Where the data lives: `kind: duckdb` (a file) or `kind: ducklake` (a lakehouse).' });

const envName = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name, e.g. TEMPORAL_TLS_CERT')
    .optional()
    .meta({ description: `Environment variable holding the PEM ${what} itself (instead of a file).` });

export const temporalTlsSchema = z
  .strictObject({
    serverName: z.string().min(1).optional().meta({ description: 'Server name to verify (SNI).' }),
    caFile: withEnv('Path of the PEM CA certificate.').optional(),
    caEnv: envName('CA certificate'),
    certFile: withEnv('Path of the PEM client certificate (mTLS).').optional(),
    certEnv: envName('client certificate'),
    keyFile: withEnv('Path of the PEM client key (mTLS).').optional(),
    keyEnv: envName('client key'),
  })
  .meta({
    description: 'TLS (mTLS) to the Temporal frontend; certificates by path or from the environment.',
  });

export const temporalTargetSchema = z
  .strictObject({
    address: withEnv('Temporal frontend `host:port`.').optional(),
    namespace: z.string().min(1).optional(),
    taskQueue: z.string().min(1).optional(),
    tls: temporalTlsSchema.optional(),
  })
  .meta({ description: "The target's Temporal; fields not given come from the top-level `temporal`." });

export const targetSchema = z
  .strictObject({
    description: z.string().optional(),
    warehouse: warehouseTargetSchema,
    temporal: temporalTargetSchema.optional(),
  })
  .meta({ description: 'A place the project runs: its warehouse and, optionally, its Temporal.' });

export type WarehouseTarget = z.infer<typeof warehouseTargetSchema>;
export type TemporalTls = z.infer<typeof temporalTlsSchema>;
export type TargetConfig = z.infer<typeof targetSchema>;
