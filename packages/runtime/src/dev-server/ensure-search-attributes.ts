// Search attributes are registered by `start-dev --search-attribute` only when a namespace is
// created; a persisted dev server (or a cluster) may lack ones added later. This adds the missing.
import { Connection } from '@temporalio/client';
import type { SearchAttributeKind } from './start-dev-server.js';

/** temporal.api.enums.v1.IndexedValueType, by number (the proto package is not a direct dependency). */
const INDEXED: Record<SearchAttributeKind, number> = {
  Text: 1,
  Keyword: 2,
  Int: 3,
  Double: 4,
  Bool: 5,
  Datetime: 6,
  KeywordList: 7,
};

/** Adds the search attributes the namespace lacks; returns the names added. */
export async function ensureSearchAttributes(
  address: string,
  namespace: string,
  wanted: Readonly<Record<string, SearchAttributeKind>>,
): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    return await addMissing(connection, namespace, wanted);
  } finally {
    await connection.close();
  }
}

async function addMissing(
  connection: Connection,
  namespace: string,
  wanted: Readonly<Record<string, SearchAttributeKind>>,
): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = Object.entries(wanted).filter(([name]) => !known.has(name));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map(([name, kind]) => [name, INDEXED[kind]])),
  });
  return missing.map(([name]) => name);
}
