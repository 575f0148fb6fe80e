// Types as the contract spells them: DuckDB reports `DECIMAL(12,2)` or `TIMESTAMP WITH TIME
// ZONE`, contracts write `decimal(12,2)` and `timestamptz`; comparing canonical spellings keeps
// drift to real differences.
import { formatDataType, parseDataType } from '@pipectl/spec';

/** The canonical spelling of a DuckDB type; unknown types are kept as DuckDB wrote them, lowercased. */
export function canonicalType(type: string): string {
  const parsed = parseDataType(type);
  return parsed.ok ? formatDataType(parsed.type) : type.toLowerCase();
}
