// Small wording shared by the compatibility renderers: a change's before/after values in a few
// characters, where a file is in the repository, and who a change reaches, in one sentence.
import type { ChangeImpact, CheckedChange, RepositoryCheckReport } from '@pipectl/check';

const MAX_VALUE = 48;

/** A before or after value, short: a column shows its type, a list its items, nothing `(none)`. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') return /\s/.test(value) || value === '' ? JSON.stringify(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return clip(`[${value.map(formatValue).join(', ')}]`);
  if (typeof value === 'object' && 'type' in value && 'name' in value) return String(value.type);
  return clip(JSON.stringify(value));
}

function clip(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** `before -> after` of a change. */
export function beforeAfter(change: CheckedChange): string {
  return `${formatValue(change.before)} -> ${formatValue(change.after)}`;
}

/** The change's path, or `(dataset)` for a whole-dataset change. */
export function pathOf(change: CheckedChange): string {
  return change.path === '' ? '(dataset)' : change.path;
}

/** A project-relative file as a repository-relative one (what CI annotations need). */
export function repoFile(report: Pick<RepositoryCheckReport, 'project'>, file: string): string {
  return report.project === '.' ? file : `${report.project}/${file}`;
}

/** Whether a change fails the check: breaking and not waived. */
export function isUnapprovedBreaking(change: CheckedChange): boolean {
  return change.verdict === 'breaking' && change.waived === undefined;
}

/**
 * Who a change reaches, in one sentence, or undefined when nothing does:
 * `marts.order_totals (finance@x); pipelines shop_daily (analytics@x)`.
 */
export function consumersSentence(impact: ChangeImpact | undefined): string | undefined {
  if (!impact || (impact.datasets.length === 0 && impact.pipelines.length === 0)) return undefined;
  const parts: string[] = [];
  if (impact.datasets.length > 0)
    parts.push(impact.datasets.map((dataset) => `${dataset.name} (${dataset.owner})`).join(', '));
  if (impact.pipelines.length > 0)
    parts.push(
      `pipeline${impact.pipelines.length === 1 ? '' : 's'} ${impact.pipelines
        .map((pipeline) => (pipeline.owner ? `${pipeline.name} (${pipeline.owner})` : pipeline.name))
        .join(', ')}`,
    );
  return parts.join('; ');
}
