// The errors of extraction: bad input named by its file and line, or by its server. A few
// classes with readonly data and a stable code from ISSUE_CODES; the CLI renders `message` (or
// `toIssue()`), never a stack. Data problems are not retried; `retryable` marks the rest.
import { type Issue, type IssueCode, PipectlError } from '@pipectl/spec';

/** Where a problem is: the source, and the file (project-relative) and line, or the server. */
export interface ExtractPlace {
  /** The source's `name` in the pipeline. */
  readonly source: string;
  readonly file?: string;
  /** 1-based line in `file`, when the problem has one. */
  readonly line?: number;
  /** `host:port/database` of a PostgreSQL source; never the password. */
  readonly server?: string;
}

export class ExtractError extends PipectlError {
  readonly source: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly server: string | undefined;

  constructor(
    code: IssueCode,
    message: string,
    place: ExtractPlace,
    options: { hint: string; retryable?: boolean; cause?: unknown },
  ) {
    // Retryable only for problems of the infrastructure (a server down) that a retry may cure.
    super(code, message, options);
    this.source = place.source;
    this.file = place.file;
    this.line = place.line;
    this.server = place.server;
  }

  /** The error as an issue, for the renderers that print issues. */
  override toIssue(): Issue {
    return {
      code: this.code,
      severity: 'error',
      message: this.message,
      // The file is the data file (its line is in the message), not a YAML document.
      ...(this.file === undefined ? {} : { file: this.file }),
      path: [],
      hint: this.hint,
    };
  }
}

/**
 * PIPE5101 (no file matches the path) or PIPE5102 (a file cannot be read). Retryable: an
 * export may not have arrived yet, or not be readable yet.
 */
export class SourceFileError extends ExtractError {
  constructor(
    code: 'PIPE5101' | 'PIPE5102',
    message: string,
    place: ExtractPlace,
    options: { hint: string; retryable?: boolean; cause?: unknown },
  ) {
    super(code, message, place, { retryable: true, ...options });
  }
}

export interface CsvProblem {
  readonly file: string;
  /** Absent when the file as a whole cannot be parsed (no dialect detected). */
  readonly line?: number;
  readonly column?: string;
  readonly message: string;
}

/** PIPE5103: rows of a CSV file that do not parse, or do not convert to the contract's types. */
export class MalformedCsvError extends ExtractError {
  /** The first problems found, in file order (at most 10). */
  readonly problems: readonly CsvProblem[];
  /** How many rows were rejected; a lower bound when `capped`. */
  readonly total: number;
  readonly capped: boolean;
  constructor(source: string, problems: readonly CsvProblem[], total = problems.length, capped = false) {
    const first = problems[0] as CsvProblem;
    const at = (p: CsvProblem) => (p.line === undefined ? p.file : `${p.file}:${p.line}`);
    const shown = problems.slice(0, 5).map((p) => `\n  ${at(p)}: ${p.message}`);
    const rest = total > 5 ? `\n  ... (${capped ? 'at least ' : ''}${total - 5} more)` : '';
    const count = `${capped ? 'at least ' : ''}${total} malformed CSV row${total === 1 ? '' : 's'}`;
    super(
      'PIPE5103',
      first.line === undefined
        ? `source "${source}": ${first.file} cannot be read as CSV: ${first.message}`
        : `source "${source}": ${count}, first at ${at(first)}${shown.join('')}${rest}`,
      { source, file: first.file, ...(first.line === undefined ? {} : { line: first.line }) },
      {
        hint: 'Fix the rows shown, or the source options (delimiter, quote, header, nullValues, dateFormat, timestampFormat).',
      },
    );
    this.problems = problems;
    this.total = total;
    this.capped = capped;
  }
}

export interface RejectedRecord {
  readonly position: string;
  readonly reason: string;
}

/** PIPE5104: every record of a JSON source failed its contract, so nothing would land. */
export class RejectedRecordsError extends ExtractError {
  readonly rejected: number;
  readonly samples: readonly RejectedRecord[];
  constructor(source: string, rejected: number, samples: readonly RejectedRecord[]) {
    const first = samples[0];
    const lines = samples.map((s) => `\n  ${s.position}: ${s.reason}`).join('');
    super(
      'PIPE5104',
      `source "${source}": all ${rejected} record${rejected === 1 ? '' : 's'} fail the contract, nothing was loaded${lines}`,
      { source, ...(first ? fileAndLine(first.position) : {}) },
      {
        hint: 'Check that the source path and its contract are the right pair; the reasons name the columns.',
      },
    );
    this.rejected = rejected;
    this.samples = samples;
  }
}

/** PIPE5105: a value of a typed source (Parquet, PostgreSQL) does not fit the contract's type. */
export class SourceValueError extends ExtractError {
  /** The column, when known (DuckDB does not name it when a cast fails mid-insert). */
  readonly column: string | undefined;
  readonly value: string;
  readonly expectedType: string;
  constructor(
    place: ExtractPlace & { readonly where: string },
    column: string | undefined,
    value: string,
    expectedType: string,
  ) {
    const holder = column === undefined ? 'a column' : `column "${column}"`;
    super(
      'PIPE5105',
      `source "${place.source}": ${holder} holds ${value} at ${place.where}, which does not convert to ${expectedType} (the contract's type)`,
      place,
      {
        hint: "Change the column's type in the contract, or cast the value in the source (a query for PostgreSQL).",
      },
    );
    this.column = column;
    this.value = value;
    this.expectedType = expectedType;
  }
}

/** PIPE5106 (server unreachable), PIPE5107 (login refused) or PIPE5108 (query failed). */
export class PostgresSourceError extends ExtractError {
  /** PostgreSQL's SQLSTATE (`28P01`, `42P01`, ...) or Node's error code (`ECONNREFUSED`). */
  readonly reason: string | undefined;
  constructor(
    code: 'PIPE5106' | 'PIPE5107' | 'PIPE5108',
    message: string,
    place: ExtractPlace,
    options: { hint: string; reason?: string | undefined; cause?: unknown },
  ) {
    super(code, message, place, { ...options, retryable: code === 'PIPE5106' });
    this.reason = options.reason;
  }
}

/** PIPE5109: the source cannot be read as declared (an unset `${VAR}`, a cursor column absent). */
export class SourceConfigError extends ExtractError {}

/** PIPE5110: a JSON file that does not parse as a whole (a broken array). */
export class MalformedJsonError extends ExtractError {}

/** `data/x.ndjson:12` -> file and line; `data/x.json[3]` -> file only. */
export function fileAndLine(position: string): { file?: string; line?: number } {
  const lined = /^(.*):(\d+)$/.exec(position);
  if (lined) return { file: lined[1] as string, line: Number(lined[2]) };
  const indexed = /^(.*)\[\d+\]$/.exec(position);
  if (indexed) return { file: indexed[1] as string };
  return {};
}
