// The committed rule catalog in docs/compatibility.md is exactly what the docs script generates.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { DOCS_FILE, generatedDocs } from '../scripts/generate-docs.js';

test('docs/compatibility.md holds the generated rule catalog (run packages/compat/scripts/generate-docs.ts)', () => {
  const committed = readFileSync(DOCS_FILE, 'utf8');
  expect(generatedDocs(committed)).toBe(committed);
});
