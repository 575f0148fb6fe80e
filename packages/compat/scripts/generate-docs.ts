// Regenerates the rule catalog section of docs/compatibility.md from the RULES table and the
// rule fixtures: `node --conditions=@pipectl/source --import tsx packages/compat/scripts/generate-docs.ts`. A test fails when
// the committed section differs from what this writes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type RuleExample,
  renderRuleCatalog,
  renderVerdictTable,
  replaceGeneratedSection,
  VERDICTS_BEGIN,
  VERDICTS_END,
} from '../src/docs/rule-catalog-markdown.js';
import { RULE_IDS, type RuleId } from '../src/rules/rule-catalog.js';

export const DOCS_FILE = fileURLToPath(new URL('../../../docs/compatibility.md', import.meta.url));
/** docs/reference/contracts.md states verdicts only through the generated table. */
export const CONTRACTS_REFERENCE = fileURLToPath(
  new URL('../../../docs/reference/contracts.md', import.meta.url),
);
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

/** The contracts reference as it should be. */
export function generatedReference(current: string): string | undefined {
  return replaceGeneratedSection(current, renderVerdictTable('../compatibility.md'), [
    VERDICTS_BEGIN,
    VERDICTS_END,
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const current = readFileSync(DOCS_FILE, 'utf8');
  const next = generatedDocs(current);
  if (next === undefined) {
    process.stderr.write(`docs/compatibility.md lacks the generated-section markers\n`);
    process.exit(1);
  }
  writeFileSync(DOCS_FILE, next);
  const reference = generatedReference(readFileSync(CONTRACTS_REFERENCE, 'utf8'));
  if (reference === undefined) {
    process.stderr.write(`docs/reference/contracts.md lacks the generated-section markers\n`);
    process.exit(1);
  }
  writeFileSync(CONTRACTS_REFERENCE, reference);
  process.stdout.write('wrote the rule catalog in docs/compatibility.md and docs/reference/contracts.md\n');
}
