// Issues are data with a place: every problem pipectl finds in a project is one of these.
// Libraries return them; only the CLI renders them (see issue-codes.ts for the catalog).

/** A 1-based position in a source file, with the end of the offending node. */
export interface Span {
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
  /** 0-based character offset of the start, for tools that prefer offsets. */
  readonly offset: number;
}

export type IssueSeverity = 'error' | 'warning';

export type IssuePath = readonly (string | number)[];

export interface Issue {
  /** Stable code such as `PIPE1004`, listed in docs/error-codes.md. */
  readonly code: string;
  readonly severity: IssueSeverity;
  /** One sentence naming the field and quoting the user's value. */
  readonly message: string;
  /** Project-relative (or as given) path of the file the issue is in, when there is one. */
  readonly file?: string;
  /** Path inside the document, e.g. `['columns', 2, 'type']`. */
  readonly path: IssuePath;
  readonly span?: Span | undefined;
  /** What was expected, e.g. `one of: table, view, incremental`. */
  readonly expected?: string;
  /** What to do: a "did you mean" or the fix. */
  readonly hint?: string;
}

/** Renders a document path the way users read it: `columns[2].type`. */
export function formatIssuePath(path: IssuePath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** Sorts issues by file, then position, then code, so output is stable. */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.span?.offset ?? -1) - (b.span?.offset ?? -1) ||
      a.code.localeCompare(b.code),
  );
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}
