// JSON Schema for editors, generated from the zod schemas so the two cannot disagree. The
// generated files are committed under packages/spec/schemas/ and printed by `pipectl schema`.
import { z } from 'zod';
import { contractSchema } from '../schema/contract.js';
import { pipelineSchema } from '../schema/pipeline.js';
import { projectSchema } from '../schema/project.js';

import type { SchemaKind } from './schema-kinds.js';

export { SCHEMA_KINDS, type SchemaKind } from './schema-kinds.js';

const SOURCES = { contract: contractSchema, pipeline: pipelineSchema, project: projectSchema } as const;

/** Where the committed schema files live, relative to the repository root. */
export const SCHEMA_FILES: Readonly<Record<SchemaKind, string>> = {
  contract: 'packages/spec/schemas/contract.schema.json',
  pipeline: 'packages/spec/schemas/pipeline.schema.json',
  project: 'packages/spec/schemas/project.schema.json',
};

/**
 * The JSON Schema (draft-07, which editors support best) of one document kind, as input: fields
 * with defaults are optional, exactly as a person may write them.
 */
export function documentJsonSchema(kind: SchemaKind): Record<string, unknown> {
  const schema = z.toJSONSchema(SOURCES[kind], { target: 'draft-7', io: 'input', unrepresentable: 'any' });
  return { ...schema, $id: `https://pipectl.dev/schemas/v1/${kind}.schema.json` };
}

/** The schema as the committed file holds it: two-space JSON with a trailing newline. */
export function documentJsonSchemaText(kind: SchemaKind): string {
  return `${JSON.stringify(documentJsonSchema(kind), null, 2)}\n`;
}
