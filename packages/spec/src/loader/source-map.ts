// Maps a path inside a parsed YAML document (`['steps', 2, 'sql']`) back to `line:col`, using the
// `yaml` package's node ranges and LineCounter. Every issue gets its place from here. A map made
// `fromText` reads its file into a position-keeping document only when a place is first asked
// for, so files without problems never pay for one (see fast-parse.ts).
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseAllDocuments,
  Scalar,
} from 'yaml';
import type { IssuePath, Span } from '../issues/issue.js';

export class SourceMap {
  #document: Document | undefined;
  #lineCounter: LineCounter | undefined;

  constructor(
    document: Document | undefined,
    lineCounter: LineCounter | undefined,
    readonly text: string,
  ) {
    this.#document = document;
    this.#lineCounter = lineCounter;
  }

  /**
   * A map of a one-document text that the fast reader accepted, parsed on first use the way
   * parseDocument's exact reader parses it, so every place is the same as if read eagerly.
   */
  static fromText(text: string, data: unknown): SourceMap {
    const map = new SourceMap(undefined, undefined, text);
    map.#data = data;
    return map;
  }

  /** Whether the position-keeping document has been built yet (it is, once a place is asked for). */
  get isParsed(): boolean {
    return this.#document !== undefined;
  }

  /** The plain data of a map made fromText, to answer `has` without parsing. */
  #data: unknown;

  private get document(): Document {
    if (!this.#document) {
      const lineCounter = new LineCounter();
      const docs = parseAllDocuments(this.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
      const all = Array.isArray(docs) ? docs : [docs];
      this.#document = firstWithContent(all) as Document;
      this.#lineCounter = lineCounter;
    }
    return this.#document;
  }

  private get lineCounter(): LineCounter {
    if (!this.#lineCounter) void this.document;
    return this.#lineCounter as LineCounter;
  }

  /** Span of the value at `path`, or of its nearest existing ancestor. */
  spanOf(path: IssuePath): Span | undefined {
    const node = this.nodeAt(path).node;
    return node ? this.spanOfNode(node) : undefined;
  }

  /** Span of the key at the end of `path` (for "unknown key" issues), else of the value. */
  keySpanOf(path: IssuePath): Span | undefined {
    if (path.length === 0) return this.spanOf(path);
    const parent = this.nodeAt(path.slice(0, -1));
    const last = path[path.length - 1];
    if (parent.exact && isMap(parent.node)) {
      const pair = parent.node.items.find((item) => isPair(item) && keyOf(item.key) === last);
      if (pair && isScalar(pair.key)) {
        const span = this.spanOfNode(pair.key as Node);
        if (span) return span;
      }
    }
    return this.spanOf(path);
  }

  /** Whether `path` exists in the document as written. */
  has(path: IssuePath): boolean {
    if (!this.#document && this.#data !== undefined) {
      // Written with a value, or not written at all, reads the same in the data; a null value
      // (`key:` or `? key`) needs the document to tell the two apart.
      const value = valueAt(this.#data, path);
      if (value === undefined) return false;
      if (value !== null) return true;
    }
    return this.nodeAt(path).exact;
  }

  /**
   * Span of a character offset inside a string scalar (e.g. a SQL error position). Block literals
   * (`sql: |`) map line by line; single-line plain and quoted scalars map through their quotes and
   * escapes. Anything else (folded or multi-line flow scalars) falls back to the scalar's own span.
   */
  spanInScalar(path: IssuePath, offsetInValue: number, length = 1): Span | undefined {
    const { node, exact } = this.nodeAt(path);
    if (!exact || !isScalar(node) || !node.range) return this.spanOf(path);
    const value = String(node.value);
    const before = value.slice(0, Math.max(0, Math.min(offsetInValue, value.length)));
    const lineInValue = before.split('\n').length - 1;
    const colInLine = before.length - (before.lastIndexOf('\n') + 1);
    const start = this.lineCounter.linePos(node.range[0]);
    if (node.type === Scalar.BLOCK_LITERAL) {
      // Content starts on the line after the `|` header, indented as its first non-blank line.
      const indent = this.blockIndent(node.range[0], start.line);
      const line = start.line + 1 + lineInValue;
      const lineStart = this.lineCounter.lineStarts[line - 1];
      if (indent === undefined || lineStart === undefined) return this.spanOfNode(node);
      const offset = lineStart + indent + colInLine;
      const col = indent + colInLine + 1;
      return { line, col, endLine: line, endCol: col + width(value, offsetInValue, length), offset };
    }
    const source = this.text.slice(node.range[0], node.range[1]);
    if (lineInValue > 0 || source.includes('\n')) return this.spanOfNode(node);
    let sourceCol: number | undefined;
    if (node.type === Scalar.PLAIN) sourceCol = colInLine;
    else if (node.type === Scalar.QUOTE_SINGLE) sourceCol = sourceColumn(source, colInLine, "'");
    else if (node.type === Scalar.QUOTE_DOUBLE) sourceCol = sourceColumn(source, colInLine, '"');
    if (sourceCol === undefined) return this.spanOfNode(node);
    const offset = node.range[0] + sourceCol;
    const pos = this.lineCounter.linePos(offset);
    return {
      line: pos.line,
      col: pos.col,
      endLine: pos.line,
      endCol: pos.col + width(value, offsetInValue, length),
      offset,
    };
  }

  /**
   * The path of the deepest node at a character offset: a key's offset gives the path to that key
   * (`['columns', 0, 'name']`), a value's offset the path to the value.
   */
  pathAtOffset(offset: number): IssuePath {
    const path: (string | number)[] = [];
    let node = this.document.contents as Node | null;
    while (node) {
      const step = stepAtOffset(node, offset);
      if (!step) break;
      path.push(step.part);
      // On a key (or an empty item), the path ends there.
      if (step.child === undefined) break;
      node = step.child;
    }
    return path;
  }

  /** Indentation of a block scalar's content, from its first non-blank line. */
  private blockIndent(headerOffset: number, headerLine: number): number | undefined {
    const header = /^[|>]([1-9])?[+-]?([1-9])?/.exec(this.text.slice(headerOffset));
    const explicit = header?.[1] ?? header?.[2];
    for (let line = headerLine + 1; line <= this.lineCounter.lineStarts.length; line++) {
      const lineStart = this.lineCounter.lineStarts[line - 1] as number;
      const nextStart = this.lineCounter.lineStarts[line] ?? this.text.length;
      const content = this.text.slice(lineStart, nextStart).replace(/\r?\n$/, '');
      if (content.trim() === '') continue;
      const indent = /^ */.exec(content)?.[0].length ?? 0;
      if (explicit === undefined) return indent;
      // With an indentation indicator (`|2`), the content sits that far in from its parent.
      return Math.min(indent, this.parentIndent(headerLine) + Number(explicit));
    }
    return undefined;
  }

  private parentIndent(headerLine: number): number {
    const lineStart = this.lineCounter.lineStarts[headerLine - 1] ?? 0;
    const end = this.text.indexOf('\n', lineStart);
    const line = this.text.slice(lineStart, end === -1 ? undefined : end);
    return /^[ -]*/.exec(line)?.[0].length ?? 0;
  }

  private spanOfNode(node: Node): Span | undefined {
    if (!node.range) return undefined;
    const [startOffset, valueEnd] = node.range;
    const start = this.lineCounter.linePos(startOffset);
    const end = this.lineCounter.linePos(Math.max(startOffset, valueEnd));
    return { line: start.line, col: start.col, endLine: end.line, endCol: end.col, offset: startOffset };
  }

  private nodeAt(path: IssuePath): { node: Node | undefined; exact: boolean } {
    let node = this.document.contents as Node | null;
    if (!node) return { node: undefined, exact: false };
    for (const part of path) {
      let next: Node | undefined;
      let key: Node | undefined;
      if (isMap(node)) {
        const pair: Pair | undefined = node.items.find((item) => isPair(item) && keyOf(item.key) === part);
        next = (pair?.value ?? undefined) as Node | undefined;
        key = pair && isScalar(pair.key) ? (pair.key as Node) : undefined;
        // A key with no value (`? name`) still has a place: the key.
        if (pair && !next && key) return { node: key, exact: false };
      } else if (isSeq(node) && typeof part === 'number') {
        next = node.items[part] as Node | undefined;
      }
      if (!next) return { node, exact: false };
      // `name:` with nothing after it is an empty null with no text of its own: point at the key.
      node = key && isEmptyScalar(next) ? key : next;
    }
    return { node, exact: true };
  }
}

/**
 * Column inside a one-line quoted scalar's source (quotes included) of the value character at
 * `valueCol`, stepping over escapes (`\"`, `\n`, `\u00e9`) and doubled single quotes.
 */
function sourceColumn(source: string, valueCol: number, quote: '"' | "'"): number | undefined {
  let i = 1;
  for (let seen = 0; seen < valueCol; seen++) {
    if (i >= source.length - 1) return undefined;
    if (quote === "'" && source[i] === "'" && source[i + 1] === "'") i += 2;
    else if (quote === '"' && source[i] === '\\') i += escapeLength(source[i + 1]);
    else i += 1;
  }
  return i;
}

function escapeLength(letter: string | undefined): number {
  if (letter === 'x') return 4;
  if (letter === 'u') return 6;
  if (letter === 'U') return 10;
  return 2;
}

/** The value at `path` in plain data, undefined when some step of it is missing. */
function valueAt(data: unknown, path: IssuePath): unknown {
  let current = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current) ? typeof part !== 'number' : !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/**
 * The document parseDocument reads: the first with content (a lone `---` before it is harmless),
 * else the first.
 */
export function firstWithContent<D extends { contents: unknown; errors: readonly unknown[] }>(
  docs: readonly D[],
): D | undefined {
  return (
    docs.find((doc) => (doc.contents !== null && !isEmptyScalar(doc.contents)) || doc.errors.length > 0) ??
    docs[0]
  );
}

/** The null of `name:` with nothing after it: it has no text of its own to point at. */
function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && node.source === '';
}

/**
 * One step down from a mapping or list towards an offset: the key or index of the entry holding it,
 * and the value to go on into (none when the offset is on the key itself).
 */
function stepAtOffset(
  node: Node,
  offset: number,
): { part: string | number; child: Node | undefined } | undefined {
  if (isMap(node)) {
    for (const item of node.items) {
      const key = keyOf(item.key);
      if (typeof key !== 'string' && typeof key !== 'number') continue;
      if (covers(item.key, offset)) return { part: key, child: undefined };
      if (covers(item.value, offset)) return { part: key, child: item.value as Node };
    }
    return undefined;
  }
  if (isSeq(node)) {
    const index = node.items.findIndex((item) => covers(item, offset));
    return index >= 0 ? { part: index, child: node.items[index] as Node | undefined } : undefined;
  }
  return undefined;
}

/** Whether a node's text holds the offset (an empty node holds its one position). */
function covers(node: unknown, offset: number): boolean {
  const range = (node as Node | null)?.range;
  return !!range && range[0] <= offset && offset < Math.max(range[1], range[0] + 1);
}

/** The value of a scalar key, or the key itself. */
function keyOf(key: unknown): unknown {
  return isScalar(key) ? key.value : key;
}

/** How many columns `length` characters from `offset` of a value span, stopping at its line's end. */
function width(value: string, offset: number, length: number): number {
  const lineEnd = value.indexOf('\n', offset);
  const room = (lineEnd === -1 ? value.length : lineEnd) - offset;
  return Math.max(1, Math.min(length, room));
}
