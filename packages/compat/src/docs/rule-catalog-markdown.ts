// Renders the rule catalog section of docs/compatibility.md from the RULES table and the test
// fixtures (real before/after contracts), so the docs cannot drift from the code. Pure: the
// script and the docs test read the files and pass their text in.
import { BASE_MODES, RULE_IDS, RULES, type RuleId, type Verdict } from '../rules/rule-catalog.js';

/** The before/after YAML of a rule's fixture; one side is absent for DATASET_ADDED/REMOVED. */
export interface RuleExample {
  readonly before?: string;
  readonly after?: string;
}

export const GENERATED_BEGIN =
  '<!-- BEGIN GENERATED: rule catalog (packages/compat/scripts/generate-docs.ts) -->';
export const GENERATED_END = '<!-- END GENERATED: rule catalog -->';

const VERDICT_CELL: Readonly<Record<Verdict, string>> = {
  breaking: '**breaking**',
  review: '_review_',
  compatible: 'compatible',
};

export const VERDICTS_BEGIN =
  '<!-- BEGIN GENERATED: verdicts per mode (packages/compat/scripts/generate-docs.ts) -->';
export const VERDICTS_END = '<!-- END GENERATED: verdicts per mode -->';

/**
 * The verdict of every rule under each mode, from the RULES table: the only place the docs state
 * verdicts. `anchorBase` prefixes each rule's link (`''` in docs/compatibility.md itself).
 */
export function renderVerdictTable(anchorBase: string): string {
  const header = ['Rule', 'Class', 'Meaning', ...BASE_MODES, 'bump'];
  const rows = RULE_IDS.map((id) => {
    const rule = RULES[id];
    const cells = BASE_MODES.map((mode) => VERDICT_CELL[rule.verdicts[mode]]);
    return [`[\`${id}\`](${anchorBase}#${id.toLowerCase()})`, rule.class, rule.meaning, ...cells, rule.bump];
  });
  return markdownTable(header, rows).join('\n');
}

/** The generated section: a summary table, then each rule with its example and verdicts. */
export function renderRuleCatalog(examples: Readonly<Record<RuleId, RuleExample>>): string {
  const lines: string[] = [renderVerdictTable('')];
  for (const id of RULE_IDS) {
    const rule = RULES[id];
    const example = examples[id];
    const shown = excerpt(example.before, example.after);
    lines.push('', `### ${id}`, '', rule.meaning, '');
    lines.push(
      'Before:',
      '',
      '```yaml',
      shown.before,
      '```',
      '',
      'After:',
      '',
      '```yaml',
      shown.after,
      '```',
      '',
    );
    const verdicts = BASE_MODES.map((mode) => `${mode}: ${VERDICT_CELL[rule.verdicts[mode]]}`).join(', ');
    lines.push(`Verdicts: ${verdicts}. Bump when not breaking: ${rule.bump}.`);
  }
  return lines.join('\n');
}

/** A table padded the way the repository's formatter (biome) writes Markdown tables. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((cell, i) =>
    Math.max(3, cell.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

/** Replaces the text between the generated markers; undefined when the markers are missing. */
export function replaceGeneratedSection(
  document: string,
  section: string,
  markers: readonly [string, string] = [GENERATED_BEGIN, GENERATED_END],
): string | undefined {
  const begin = document.indexOf(markers[0]);
  const end = document.indexOf(markers[1]);
  if (begin < 0 || end < begin) return undefined;
  return `${document.slice(0, begin + markers[0].length)}\n${section}\n${document.slice(end)}`;
}

/** The top-level blocks of a YAML document, by key (comments and header lines before the first key dropped). */
function topLevelBlocks(text: string): Map<string, string> {
  const blocks = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.replace(/\s+$/, '').split('\n')) {
    const key = /^([A-Za-z_][A-Za-z0-9_]*):/.exec(line)?.[1];
    if (key !== undefined) {
      current = [];
      blocks.set(key, current);
    }
    if (current && !line.startsWith('#')) current.push(line);
  }
  return new Map([...blocks].map(([key, body]) => [key, body.join('\n')]));
}

/** Keys a reader needs no example of (the version policy has its own section). */
const HEADER_KEYS = new Set(['apiVersion', 'kind', 'version']);

/** Only the top-level blocks that differ, so each example shows its change and little else. */
function excerpt(before: string | undefined, after: string | undefined): { before: string; after: string } {
  const a = topLevelBlocks(before ?? '');
  const b = topLevelBlocks(after ?? '');
  const keys = [...new Set([...a.keys(), ...b.keys()])].filter(
    (key) =>
      !HEADER_KEYS.has(key) && (before === undefined || after === undefined || a.get(key) !== b.get(key)),
  );
  const side = (blocks: Map<string, string>, present: boolean) => {
    if (!present) return '# (no contract)';
    return keys.map((key) => blocks.get(key) ?? `# (no ${key})`).join('\n');
  };
  return { before: side(a, before !== undefined), after: side(b, after !== undefined) };
}
