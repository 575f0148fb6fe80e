// Writes the committed JSON Schema files from the zod schemas: `npm run generate`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { documentJsonSchemaText } from '../src/index.js';
import { SCHEMA_KINDS } from '../src/json-schema/document-json-schema.js';

for (const kind of SCHEMA_KINDS) {
  const target = fileURLToPath(new URL(`../schemas/${kind}.schema.json`, import.meta.url));
  writeFileSync(target, documentJsonSchemaText(kind));
  console.log(`wrote packages/spec/schemas/${kind}.schema.json`);
}
