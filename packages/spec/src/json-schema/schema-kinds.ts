// The document kinds that have a JSON Schema for editors (loads nothing, for the CLI's help).
export const SCHEMA_KINDS = ['contract', 'pipeline', 'project'] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];
