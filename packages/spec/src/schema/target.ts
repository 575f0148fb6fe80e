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

export const openLineageHttpSchema = z
  .strictObject({
    type: z.literal('http'),
    url: withEnv(
      'Base URL of the OpenLineage API, e.g. `http://localhost:5000` (Marquez); events are POSTed to `<url>/<endpoint>`.',
    ),
    endpoint: z
      .string()
      .min(1)
      .default('api/v1/lineage')
      .meta({ description: 'Path of the lineage endpoint under `url` (default `api/v1/lineage`).' }),
    apiKeyEnv: z.string().min(1).optional().meta({
      description:
        'Name of the environment variable holding a bearer token, sent as `Authorization: Bearer <token>`. Never the token itself.',
    }),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(5_000)
      .meta({ description: 'How long one POST may take before it counts as failed (default 5000).' }),
  })
  .meta({
    title: 'http',
    description: 'POST each event to an OpenLineage API (Marquez, DataHub, OpenMetadata…).',
  });

export const openLineageFileSchema = z
  .strictObject({
    type: z.literal('file'),
    path: withEnv(
      'File the events are appended to, one JSON object a line (NDJSON); relative to pipectl.yaml.',
    ),
  })
  .meta({ title: 'file', description: 'Append each event as one line of JSON to a file.' });

export const openLineageConsoleSchema = z.strictObject({ type: z.literal('console') }).meta({
  title: 'console',
  description: "Write each event as one line of JSON to the worker's standard output.",
});

export const openLineageTransportSchema = z
  .discriminatedUnion('type', [openLineageHttpSchema, openLineageFileSchema, openLineageConsoleSchema])
  .meta({ description: 'Where events go: `type: http`, `type: file` or `type: console`.' });

export const openLineageSchema = z
  .strictObject({
    namespace: z.string().min(1).optional().meta({
      description: "Namespace of the jobs (pipelines, steps, gates); the project's name by default.",
    }),
    datasetNamespace: z.string().min(1).optional().meta({
      description:
        'Namespace of the datasets: the warehouse they live in, as other tools name it; `pipectl://<project>` by default.',
    }),
    transports: z
      .array(openLineageTransportSchema)
      .min(1)
      .meta({ description: 'Every transport receives every event.' }),
  })
  .meta({
    description:
      'Emit OpenLineage run events (START/RUNNING/COMPLETE/FAIL/ABORT per pipeline, step and quality gate) from runs on this target. Off when absent; best effort: a lost event never fails or slows a run, and is counted in `pipectl status` (docs/interop.md).',
  });

export const targetSchema = z
  .strictObject({
    description: z.string().optional(),
    warehouse: warehouseTargetSchema,
    temporal: temporalTargetSchema.optional(),
    openlineage: openLineageSchema.optional(),
  })
  .meta({ description: 'A place the project runs: its warehouse and, optionally, its Temporal.' });

export type WarehouseTarget = z.infer<typeof warehouseTargetSchema>;
export type OpenLineageConfig = z.infer<typeof openLineageSchema>;
export type OpenLineageTransport = z.infer<typeof openLineageTransportSchema>;
export type TemporalTls = z.infer<typeof temporalTlsSchema>;
export type TargetConfig = z.infer<typeof targetSchema>;
