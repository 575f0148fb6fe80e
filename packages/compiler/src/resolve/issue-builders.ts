// Builders for the issues the compiler reports: at a path of a YAML document, or at an offset in a
// step's SQL (inline in the pipeline file, or in its .sql file).
import type {
  Issue,
  IssueCode,
  IssuePath,
  IssueSeverity,
  PipelineDocument,
  SourceMap,
  Span,
} from '@pipectl/spec';
import type { StepSql } from '../load/load-project.js';
import { spanInText } from '../sql/text-position.js';

export interface IssueExtra {
  readonly hint?: string | undefined;
  readonly expected?: string | undefined;
  readonly severity?: IssueSeverity;
  readonly span?: Span | undefined;
}

export function issue(
  code: IssueCode,
  message: string,
  place: Pick<Issue, 'file' | 'path' | 'span'>,
  extra: IssueExtra = {},
): Issue {
  return {
    code,
    severity: extra.severity ?? 'error',
    message,
    ...(place.file !== undefined ? { file: place.file } : {}),
    path: place.path,
    span: extra.span ?? place.span,
    ...(extra.expected !== undefined ? { expected: extra.expected } : {}),
    ...(extra.hint !== undefined ? { hint: extra.hint } : {}),
  };
}

/** An issue at `path` of a YAML document. */
export function documentIssue(
  document: { readonly file: string; readonly sourceMap: SourceMap },
  code: IssueCode,
  path: IssuePath,
  message: string,
  extra: IssueExtra = {},
): Issue {
  return issue(code, message, { file: document.file, path, span: document.sourceMap.spanOf(path) }, extra);
}

/** Where a step's SQL lives, to place issues at offsets inside it. */
export interface SqlPlace {
  /** The file and path of the SQL itself, without working out a position. */
  readonly file: string;
  readonly path: IssuePath;
  at(offset: number): Pick<Issue, 'file' | 'path' | 'span'>;
}

export function sqlPlace(pipeline: PipelineDocument, index: number, sql: StepSql): SqlPlace {
  if (sql.fromFile)
    return {
      file: sql.file,
      path: [],
      at: (offset) => ({ file: sql.file, path: [], span: spanInText(sql.text, offset) }),
    };
  const path = ['steps', index, 'sql'];
  return {
    file: pipeline.file,
    path,
    at: (offset) => ({ file: pipeline.file, path, span: pipeline.sourceMap.spanInScalar(path, offset) }),
  };
}
