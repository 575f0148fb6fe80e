// The repository's own default project (contracts/ and pipelines/ at the root) must compile clean.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { compile } from '../src/index.js';
import { renderIssues } from './support/render-issue.js';

const root = join(import.meta.dirname, '..', '..', '..');
// The folders arrive with the default project itself; until then there is nothing to compile.
const missing = !existsSync(join(root, 'contracts')) || !existsSync(join(root, 'pipelines'));

test.skipIf(missing)("the repository's default project compiles without issues", async () => {
  const result = await compile(root);
  expect(renderIssues(result.issues)).toBe('');
});
