// Samples of the failing rows of a check, as JSON rows for the report: the rows a row check's filter
// selects, or the rows a custom query returns, within a byte budget shared by the whole report.
import { type JsonRow, type JsonValue, toJsonSafe } from '../report/json-safe.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { Measurement } from './check-kind.js';

/** Up to `limit` failing rows as JSON, within the report's byte budget. */
export async function sampleRows(
  warehouse: Warehouse,
  relation: string,
  p: { measurement: Measurement },
  limit: number,
  budget: { bytes: number },
): Promise<{ rows: JsonRow[]; truncated: boolean }> {
  if (limit <= 0 || budget.bytes <= 0) return { rows: [], truncated: budget.bytes <= 0 };
  const m = p.measurement;
  const sql =
    m.type === 'rows'
      ? `SELECT CAST(to_json(r) AS VARCHAR) AS row FROM ${relation} AS r WHERE ${m.filter}` +
        `${m.sampleOrder ? ` ORDER BY ${m.sampleOrder}` : ''} LIMIT ${limit}`
      : m.type === 'query'
        ? `SELECT CAST(to_json(q) AS VARCHAR) AS row FROM (\n${m.query}\n) AS q LIMIT ${limit}`
        : undefined;
  if (sql === undefined) return { rows: [], truncated: false };
  let fetched: { row: string }[];
  try {
    fetched = await warehouse.all<{ row: string }>(sql);
  } catch {
    return { rows: [], truncated: false };
  }
  const rows: JsonRow[] = [];
  for (const { row } of fetched) {
    const safe = toJsonSafe(parseJsonKeepingBigInts(row)) as JsonValue;
    const json = JSON.stringify(safe);
    if (json.length > budget.bytes) return { rows, truncated: true };
    budget.bytes -= json.length;
    rows.push(safe as JsonRow);
  }
  return { rows, truncated: false };
}

/** JSON.parse, with integers beyond 2^53 kept exact as strings (DuckDB's JSON writes them as numbers). */
function parseJsonKeepingBigInts(text: string): unknown {
  const exact = text.replace(
    /("(?:[^"\\]|\\.)*")|(?<![\d.eE+-])(-?\d{16,})(?![.\deE])/g,
    (match, string: string | undefined) =>
      string !== undefined || Number.isSafeInteger(Number(match)) ? match : `"${match}"`,
  );
  return JSON.parse(exact);
}
