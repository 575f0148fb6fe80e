// Small readers over DuckDB's JSON AST. The parser omits null and empty fields, so every reader
// treats a missing key as empty; nothing here throws on an unexpected shape.
import type { SqlAstNode } from './sql-parser.js';

export function isNode(value: unknown): value is SqlAstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nodeAt(node: SqlAstNode, key: string): SqlAstNode | undefined {
  const value = node[key];
  return isNode(value) ? value : undefined;
}

export function nodesAt(node: SqlAstNode, key: string): SqlAstNode[] {
  const value = node[key];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

export function textAt(node: SqlAstNode, key: string): string {
  const value = node[key];
  return typeof value === 'string' ? value : '';
}

export function textsAt(node: SqlAstNode, key: string): string[] {
  const value = node[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** `query_location` in UTF-8 bytes, or undefined when DuckDB has none (it writes 2^64-1). */
export function locationOf(node: SqlAstNode): number | undefined {
  const value = node.query_location;
  return typeof value === 'number' && value >= 0 && value < Number.MAX_SAFE_INTEGER ? value : undefined;
}

/** The key/value list DuckDB uses for maps (`cte_map.map`, `replace_list`, `rename_list`). */
export function entriesAt(node: SqlAstNode, key: string): { key: unknown; value: unknown }[] {
  const value = node[key];
  const list = isNode(value) && Array.isArray(value.map) ? value.map : value;
  return Array.isArray(list)
    ? list.filter(isNode).map((entry) => ({ key: entry.key, value: entry.value }))
    : [];
}
