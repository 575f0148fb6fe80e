// Regenerates the rule catalog section of docs/compatibility.md from the RULES table and the
// rule fixtures: `node --conditions=@pipectl/source --import tsx packages/compat/scripts/generate-docs.ts`. A test fails when
// the committed section differs from what this writes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type RuleExample,
  renderRuleCatalog,
  replaceGeneratedSection,
} from '../src/docs/rule-catalog-markdown.js';
import { RULE_IDS, type RuleId } from '../src/index.js';

export const DOCS_FILE = fileURLToPath(new URL('../../../docs/compatibility.md', import.meta.url));
const FIXTURES_DIR = fileURLToPath(new URL('../test/fixtures/', import.meta.url));

/** The fixture texts of every rule, read from `test/fixtures/<RULE_ID>/`. */
export function readRuleExamples(): Record<RuleId, RuleExample> {
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  const entries = RULE_IDS.map((rule) => {
    const before = read(`${FIXTURES_DIR}${rule}/before.contract.yaml`);
    const after = read(`${FIXTURES_DIR}${rule}/after.contract.yaml`);
    return [
      rule,
      { ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) },
    ] as const;
  });
  return Object.fromEntries(entries) as Record<RuleId, RuleExample>;
}

/** The docs file as it should be. */
export function generatedDocs(current: string): string | undefined {
  return replaceGeneratedSection(current, renderRuleCatalog(readRuleExamples()));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const current = readFileSync(DOCS_FILE, 'utf8');
  const next = generatedDocs(current);
  if (next === undefined) {
    process.stderr.write(`docs/compatibility.md lacks the generated-section markers\n`);
    process.exit(1);
  }
  writeFileSync(DOCS_FILE, next);
  process.stdout.write('wrote the rule catalog in docs/compatibility.md\n');
}
