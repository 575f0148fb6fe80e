// The one error model of pipectl's libraries: every error a package throws for a problem someone
// can act on derives from PipectlError, which carries a stable code of the issue catalog, the fix
// (`hint`), and whether running the same work again can succeed (`retryable`). Callers branch on
// the code or the class, never on the words of a message; only the CLI renders errors, in one place
// (apps/pipectl/src/render/error.ts), and the runtime turns them into Temporal failures by their
// class name and `retryable`. An error that is not a PipectlError is a bug (exit 70).
import type { Issue } from './issue.js';
import { ISSUE_CODES, type IssueCode } from './issue-codes.js';

/** Where the problem is, when it is in a file: project-relative path and 1-based line and column. */
export interface ErrorPlace {
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
}

export interface PipectlErrorOptions {
  /** What to do about it; the catalog's help for the code when not given. */
  readonly hint?: string | undefined;
  /** True when the same work, run again unchanged, can succeed (a server down, a lost commit race). */
  readonly retryable?: boolean | undefined;
  readonly cause?: unknown;
  readonly place?: ErrorPlace | undefined;
}

export class PipectlError extends Error {
  readonly code: IssueCode;
  /** The fix, in one or two sentences. */
  readonly hint: string;
  readonly retryable: boolean;
  readonly place: ErrorPlace | undefined;

  constructor(code: IssueCode, message: string, options: PipectlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint ?? ISSUE_CODES[code].help;
    this.retryable = options.retryable ?? false;
    this.place = options.place;
  }

  /** The error as an issue, for the renderers that print issues (text, JSON, JUnit). */
  toIssue(): Issue {
    const { place } = this;
    return {
      code: this.code,
      severity: 'error',
      message: this.message,
      path: [],
      hint: this.hint,
      ...(place ? { file: place.file } : {}),
      ...(place?.line !== undefined
        ? {
            span: {
              line: place.line,
              col: place.col ?? 1,
              endLine: place.line,
              endCol: place.col ?? 1,
              offset: -1,
            },
          }
        : {}),
    };
  }
}

/**
 * True for a PipectlError, also one thrown by another copy of this package (an installed CLI may
 * load two): it has a catalog code, a hint and a retryable flag.
 */
export function isPipectlError(error: unknown): error is PipectlError {
  if (error instanceof PipectlError) return true;
  if (!(error instanceof Error)) return false;
  const { code, hint, retryable } = error as Partial<PipectlError>;
  return (
    typeof code === 'string' &&
    Object.hasOwn(ISSUE_CODES, code) &&
    typeof hint === 'string' &&
    typeof retryable === 'boolean'
  );
}
