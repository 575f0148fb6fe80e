// Refuses text that is not a YAML file's worth of UTF-8: bytes that are not valid UTF-8 (which a
// reader decoding as UTF-8 turns into U+FFFD) and control characters such as NUL, which YAML does
// not allow and which mark a binary or wrongly converted file. Pure: looks at the decoded text.
import type { Issue, Span } from '../issues/issue.js';

/** U+FFFD, what a UTF-8 decoder puts where the bytes are not UTF-8. */
const REPLACEMENT = '\uFFFD';
// C0 controls except tab, line feed and carriage return; YAML 1.2 forbids them (c-printable).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * The first character that shows the file is not UTF-8 text, as a located PIPE1015 issue.
 * @example findEncodingProblem('a.contract.yaml', 'name: a\u0000') // issue at 1:8
 */
export function findEncodingProblem(file: string, text: string): Issue | undefined {
  const replacement = text.indexOf(REPLACEMENT);
  const control = text.search(CONTROL);
  const offsets = [replacement, control].filter((offset) => offset >= 0);
  if (offsets.length === 0) return undefined;
  const offset = Math.min(...offsets);
  const char = text.charCodeAt(offset);
  const what =
    offset === replacement
      ? 'bytes that are not valid UTF-8'
      : char === 0
        ? 'a NUL byte'
        : `the control character U+${char.toString(16).toUpperCase().padStart(4, '0')}`;
  return {
    code: 'PIPE1015',
    severity: 'error',
    message: `the file holds ${what}: pipectl reads contracts and pipelines as UTF-8 text`,
    file,
    path: [],
    span: spanAt(text, offset),
    expected: 'UTF-8 text without control characters (tabs and line breaks are fine)',
    hint:
      offset === replacement
        ? 're-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`), or retype the character at this place'
        : 'delete the character at this place; if the file is binary, it is not a pipectl document',
  };
}

function spanAt(text: string, offset: number): Span {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, col, endLine: line, endCol: col + 1, offset };
}
