// DuckDB's error messages, read: `Binder Error: ...` carries its class, and for binder and catalog
// errors an excerpt `LINE n: <text>` with a caret under the culprit. The caret's column is in the
// excerpt, which DuckDB may shorten with `...`; the excerpt is found again in line n of the text.

export interface ReadError {
  readonly errorType: string;
  readonly message: string;
  readonly position?: number;
}

// Parser errors repeat the excerpt; the first one is read.
const LINE = /\n\s*LINE (\d+): (.*)\n( *)\^/;

/**
 * The class, message and position (string index in `sql`) of a DuckDB error about `sql`.
 * @example readDuckDbError('Binder Error: Referenced column "x" not found...\n\nLINE 1: select x\n               ^', 'select x').position // 7
 */
export function readDuckDbError(raw: string, sql: string): ReadError {
  const classMatch = /^([A-Za-z ]+?) Error: /.exec(raw);
  const errorType = classMatch ? (classMatch[1] as string) : 'Unknown';
  let body = classMatch ? raw.slice(classMatch[0].length) : raw;
  const line = LINE.exec(body);
  let position: number | undefined;
  if (line) {
    body = body.slice(0, line.index);
    position = positionOf(sql, Number(line[1]), line[2] as string, (line[3] as string).length);
  }
  const message = body
    .replace(/^(DESCRIBE|describe) /, '')
    .replace(/\s+$/, '')
    .replace(/\n\t?/g, ' ')
    .replace(/\s+/g, ' ');
  return { errorType, message, ...(position !== undefined ? { position } : {}) };
}

function positionOf(
  sql: string,
  lineNumber: number,
  excerpt: string,
  caretColumn: number,
): number | undefined {
  const prefix = `LINE ${lineNumber}: `.length;
  const lines = sql.split('\n');
  const text = lines[lineNumber - 1];
  if (text === undefined) return undefined;
  let lineStart = 0;
  for (let i = 0; i < lineNumber - 1; i++) lineStart += (lines[i] as string).length + 1;
  const shortenedStart = excerpt.startsWith('...');
  const core = excerpt.replace(/^\.\.\./, '').replace(/\.\.\.$/, '');
  const found = text.indexOf(core);
  if (found === -1) return undefined;
  const inExcerpt = caretColumn - prefix - (shortenedStart ? 3 : 0);
  return lineStart + Math.max(0, Math.min(found + inExcerpt, text.length));
}
