// The JSON Schema editors use: committed files match the zod schemas, and it agrees with the
// loader on what is valid.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { documentJsonSchemaText } from '../src/index.js';
import {
  documentJsonSchema,
  SCHEMA_FILES,
  SCHEMA_KINDS,
  type SchemaKind,
} from '../src/json-schema/document-json-schema.js';
import { fixtureText } from './support.js';

function committed(kind: SchemaKind): string {
  const file = SCHEMA_FILES[kind].replace('packages/spec/', '../');
  return readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8');
}

describe('the committed schema files', () => {
  test.each(SCHEMA_KINDS.map((kind) => [kind]))('%s.schema.json is up to date', (kind) => {
    expect(
      committed(kind) === documentJsonSchemaText(kind),
      `${SCHEMA_FILES[kind]} differs from the zod schemas: run \`npm run generate\` and commit the result`,
    ).toBe(true);
  });

  test('each schema names itself and its draft', () => {
    for (const kind of SCHEMA_KINDS) {
      expect(documentJsonSchema(kind)).toMatchObject({
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: `https://pipectl.dev/schemas/v1/${kind}.schema.json`,
        type: 'object',
      });
    }
  });
});

describe('editor validation agrees with the loader', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validators = Object.fromEntries(
    SCHEMA_KINDS.map((kind) => [kind, ajv.compile(documentJsonSchema(kind))]),
  );

  function validate(kind: SchemaKind, text: string): string[] {
    const validator = validators[kind];
    if (!validator) throw new Error(kind);
    return validator(parseYaml(text))
      ? []
      : (validator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  }

  test.each<[SchemaKind, string]>([
    ['contract', 'valid/full.contract.yaml'],
    ['contract', 'valid/minimal.contract.yaml'],
    ['pipeline', 'valid/full.pipeline.yaml'],
    ['pipeline', 'valid/minimal.pipeline.yaml'],
    ['project', 'valid/pipectl.yaml'],
    ['project', 'valid/minimal-project.yaml'],
  ])('the %s schema accepts %s', (kind, fixture) => {
    expect(validate(kind, fixtureText(fixture))).toEqual([]);
  });

  test.each<[SchemaKind, string]>([
    ['contract', 'invalid/unknown-key.contract.yaml'],
    ['contract', 'invalid/wrong-type.contract.yaml'],
    ['contract', 'invalid/missing-required.contract.yaml'],
    ['contract', 'invalid/invalid-enum.contract.yaml'],
    ['contract', 'invalid/unknown-check-kind.contract.yaml'],
    ['contract', 'invalid/many-problems.contract.yaml'],
    ['pipeline', 'invalid/unknown-source-kind.pipeline.yaml'],
    ['pipeline', 'invalid/missing-source-kind.pipeline.yaml'],
  ])('the %s schema rejects %s, as the loader does', (kind, fixture) => {
    expect(validate(kind, fixtureText(fixture))).not.toEqual([]);
  });

  test('an unknown key is rejected at its place', () => {
    const text = `${fixtureText('valid/minimal-project.yaml')}warehouse:\n  pth: w.duckdb\n`;
    expect(validate('project', text)).toContain('/warehouse must NOT have additional properties');
  });
});
