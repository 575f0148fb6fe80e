// Positions inside SQL text. DuckDB reports AST locations in UTF-8 bytes and parser errors in
// characters; issues need JavaScript string indexes and, for .sql files, line:col spans.
import type { Span } from '@pipectl/spec';

/** A function from a UTF-8 byte offset in `text` to the string index of the same character. */
export function byteOffsetMapper(text: string): (byteOffset: number) => number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point here
  if (!/[^\u0000-\u007f]/.test(text)) return (byteOffset) => byteOffset;
  const byteStarts: number[] = [];
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    byteStarts.push(bytes);
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      // A surrogate pair is one 4-byte character; its low half starts no byte of its own.
      bytes += 4;
      index++;
      byteStarts.push(bytes);
    } else bytes += 3;
  }
  return (byteOffset) => {
    let low = 0;
    let high = byteStarts.length - 1;
    if (high < 0 || byteOffset >= bytes) return text.length;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((byteStarts[mid] as number) <= byteOffset) low = mid;
      else high = mid - 1;
    }
    return low;
  };
}

/** The string index of the `codePoints`-th code point of `text` (DuckDB error positions). */
export function codePointToIndex(text: string, codePoints: number): number {
  let index = 0;
  for (let seen = 0; seen < codePoints && index < text.length; seen++) {
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return index;
}

/** The 1-based line:col span of one character at `offset` in a plain text file. */
export function spanInText(text: string, offset: number): Span {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < clamped;
    index = text.indexOf('\n', index + 1)
  ) {
    line++;
    lineStart = index + 1;
  }
  const col = clamped - lineStart + 1;
  return { line, col, endLine: line, endCol: col + 1, offset: clamped };
}

/** Index of the first non-blank character, so issues about a whole SQL text point at its start. */
export function firstContentOffset(text: string): number {
  const match = /\S/.exec(text);
  return match ? match.index : 0;
}
