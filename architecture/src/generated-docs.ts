// The parts of docs/contributing.md written from the rule tables, between marker comments, so the
// guide and the checks cannot disagree (a test compares them; `npm run generate` rewrites them).
import { PACKAGE_RULES, type PackageRule } from './package-rules.js';
import type { WorkflowWall } from './workflow-wall.js';
import type { WorkspaceProject } from './workspace.js';

export const CONTRIBUTING_DOC = 'docs/contributing.md';

/** The table of what each package may import, and why. */
export function packageMapMarkdown(
  workspace: readonly WorkspaceProject[],
  rules: readonly PackageRule[] = PACKAGE_RULES,
): string {
  const dirOf = new Map(workspace.map((project) => [project.name, project.dir]));
  const rows = [...rules]
    .sort((a, b) => a.layer - b.layer || a.name.localeCompare(b.name))
    .map((rule) => {
      const imports = Object.entries(rule.mayImport).map(([name, why]) => `\`${name}\`: ${why}`);
      const where = dirOf.get(rule.name) ?? '(not in the workspace)';
      return `| ${rule.layer} | \`${rule.name}\` (\`${where}/\`) | ${rule.role} | ${imports.length ? imports.join('; ') : 'no workspace package'} |`;
    });
  return [
    '| Layer | Package | What it is | May import, and why |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The workspace packages behind the workflow wall, with why each does I/O. */
export function workflowWallMarkdown(wall: WorkflowWall): string {
  const lines = wall.packages.map((entry) => `- \`${entry.name}\` ${entry.reason}`);
  return [
    '- every Node builtin in `builtinModules` (`timers`, `util`, `events`, `fs/promises`…), bare or as `node:…`',
    ...lines,
  ].join('\n');
}

/** Replaces the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export function replaceGenerated(document: string, name: string, body: string): string {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${CONTRIBUTING_DOC} has no ${start} … ${end} block`);
  return `${document.slice(0, from + start.length)}\n${body}\n${document.slice(to)}`;
}

/** The text between the markers, as written (for the drift test). */
export function readGenerated(document: string, name: string): string | undefined {
  const start = `<!-- generated:${name} -->`;
  const from = document.indexOf(start);
  const to = document.indexOf(`<!-- /generated:${name} -->`);
  return from < 0 || to < from ? undefined : document.slice(from + start.length, to).trim();
}
