// Maps a path inside a parsed YAML document (`['steps', 2, 'sql']`) back to `line:col`, using the
// `yaml` package's node ranges and LineCounter. Every issue gets its place from here.
import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node, Scalar } from 'yaml';
import type { IssuePath, Span } from '../issues/issue.js';

export class SourceMap {
  constructor(
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
    readonly text: string,
  ) {}

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
    return this.nodeAt(path).exact;
  }

  /**
   * Span of a character offset inside a string scalar (e.g. a SQL error position), mapped through
   * block scalars (`sql: |`) line by line. Falls back to the scalar's own span.
   */
  spanInScalar(path: IssuePath, offsetInValue: number): Span | undefined {
    const { node, exact } = this.nodeAt(path);
    if (!exact || !isScalar(node) || !node.range) return this.spanOf(path);
    const value = String(node.value);
    const before = value.slice(0, Math.max(0, Math.min(offsetInValue, value.length)));
    const lineInValue = before.split('\n').length - 1;
    const colInLine = before.length - (before.lastIndexOf('\n') + 1);
    const start = this.lineCounter.linePos(node.range[0]);
    if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
      // The content starts on the line after the indicator; find its indentation there.
      const firstContentLine = start.line + 1 + lineInValue;
      const lineStart = this.lineCounter.lineStarts[firstContentLine - 1];
      if (lineStart === undefined) return this.spanOfNode(node);
      const indent = /^[ \t]*/.exec(this.text.slice(lineStart))?.[0].length ?? 0;
      const offset = lineStart + indent + colInLine;
      return { line: firstContentLine, col: indent + colInLine + 1, endLine: firstContentLine, endCol: indent + colInLine + 2, offset };
    }
    if (lineInValue === 0) {
      const quote = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
      const offset = node.range[0] + quote + colInLine;
      const pos = this.lineCounter.linePos(offset);
      return { line: pos.line, col: pos.col, endLine: pos.line, endCol: pos.col + 1, offset };
    }
    return this.spanOfNode(node);
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
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && keyOf(item.key) === part);
        next = (pair?.value ?? undefined) as Node | undefined;
        // A key with no value (`name:`) still has a place: the key.
        if (pair && !next && isScalar(pair.key)) return { node: pair.key as Node, exact: false };
      } else if (isSeq(node) && typeof part === 'number') {
        next = node.items[part] as Node | undefined;
      }
      if (!next) return { node, exact: false };
      node = next;
    }
    return { node, exact: true };
  }
}

function keyOf(key: unknown): unknown {
  return isScalar(key) ? key.value : key;
}
