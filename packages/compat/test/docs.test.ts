// The committed rule catalog in docs/compatibility.md is exactly what the docs script generates.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import {
  CONTRACTS_REFERENCE,
  DOCS_FILE,
  generatedDocs,
  generatedReference,
} from '../scripts/generate-docs.js';

test('docs/compatibility.md holds the generated rule catalog (run packages/compat/scripts/generate-docs.ts)', () => {
  const committed = readFileSync(DOCS_FILE, 'utf8');
  expect(generatedDocs(committed)).toBe(committed);
});

test('docs/reference/contracts.md states verdicts only through the table generated from RULES', () => {
  const committed = readFileSync(CONTRACTS_REFERENCE, 'utf8');
  expect(generatedReference(committed)).toBe(committed);
});
