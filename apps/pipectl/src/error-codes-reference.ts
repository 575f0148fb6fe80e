// docs/error-codes.md, generated from the ISSUE_CODES catalog so every code people can see is
// documented. Regenerated with `npm run generate`.
import { ISSUE_CODES } from '@pipectl/spec';

const GROUPS: readonly [prefix: string, title: string][] = [
  ['PIPE1', 'Reading a document (YAML, fields, values)'],
  ['PIPE2', 'Resolving a project (references between files)'],
  ['PIPE3', 'SQL and column lineage'],
  ['PIPE4', 'Compatibility'],
  ['PIPE5', 'Engine'],
  ['PIPE6', 'Runtime (Temporal)'],
  ['PIPE7', 'Interop: ODCS, dbt, OpenLineage (import, export)'],
  ['PIPE8', 'Docs site'],
];

export function errorCodesMarkdown(): string {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from packages/spec/src/issues/issue-codes.ts by `npm run generate`. -->',
    '',
    'Every problem pipectl reports carries a stable code. A code keeps its meaning forever, so you can',
    'search for it. Problems are printed with the file, line and column, what was expected and what to do.',
  ];
  const entries = Object.entries(ISSUE_CODES as Record<string, { title: string; help: string }>);
  for (const [prefix, title] of GROUPS) {
    const group = entries.filter(([code]) => code.startsWith(prefix));
    if (group.length === 0) continue;
    lines.push('', `## ${title}`, '', '| code | problem | what to do |', '|---|---|---|');
    for (const [code, info] of group)
      lines.push(`| \`${code}\` | ${info.title} | ${info.help.replaceAll('|', '\\|')} |`);
  }
  return `${lines.join('\n')}\n`;
}
