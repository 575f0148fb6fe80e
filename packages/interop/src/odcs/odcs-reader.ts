// Collects the issues of one imported file, each placed at `file:line:col` through the `yaml`
// package's positions. Every field a mapping does not consume is reported here, so nothing in an
// imported file is dropped without a word.
import { formatIssuePath, type Issue, type IssuePath, type SourceMap } from '@pipectl/spec';

export class ImportReader {
  readonly issues: Issue[] = [];

  constructor(
    readonly file: string,
    private readonly sourceMap: SourceMap | undefined,
    private readonly notCarriedCode: 'PIPE7002' | 'PIPE7011',
  ) {}

  error(code: string, path: IssuePath, message: string, extra: Partial<Issue> = {}): void {
    this.push({ code, severity: 'error', message, path, ...extra });
  }

  warn(code: string, path: IssuePath, message: string, extra: Partial<Issue> = {}): void {
    this.push({ code, severity: 'warning', message, path, ...extra });
  }

  /** A field the mapping cannot hold: reported, with its place. */
  notCarried(path: IssuePath, why?: string): void {
    const last = path.findLast((part) => typeof part === 'string') ?? formatIssuePath(path);
    const what = typeof path[path.length - 1] === 'number' ? `this ${last} entry` : `"${last}"`;
    this.warn(this.notCarriedCode, path, `${what} is not carried into pipectl${why ? `: ${why}` : ''}`);
  }

  /** Reports every key of `value` (an object at `path`) that is not in `handled`. */
  rest(value: Record<string, unknown>, path: IssuePath, handled: ReadonlySet<string>): void {
    for (const key of Object.keys(value)) {
      if (!handled.has(key) && value[key] !== undefined && value[key] !== null)
        this.notCarried([...path, key]);
    }
  }

  private push(issue: Issue): void {
    const span = this.sourceMap?.spanOf(issue.path);
    this.issues.push({ ...issue, file: this.file, ...(span && { span }) });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Order Items` -> `order_items`; undefined when nothing usable is left. */
export function snakeCase(name: string): string | undefined {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  return /^[a-z][a-z0-9_]*$/.test(snake) ? snake : undefined;
}

/** Walks a customProperties list; `use` returns false for entries it does not take (reported). */
export function customList(
  list: unknown,
  path: IssuePath,
  reader: ImportReader,
  use: (property: string, value: unknown, vendor: unknown) => boolean,
): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    reader.notCarried(path);
    return;
  }
  list.forEach((entry, index) => {
    const at = [...path, index];
    if (
      !isRecord(entry) ||
      typeof entry.property !== 'string' ||
      !use(entry.property, entry.value, entry.vendor)
    )
      reader.notCarried(at);
  });
}

/** The strings of a list; anything else (and a value that is not a list) is left out. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
