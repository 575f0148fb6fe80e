// A SqlParser that remembers: the base and the head of a project share most of their SQL, so the
// second compile asks DuckDB only for the statements the first did not parse.
import type { ParsedSql, SqlParser } from '@pipectl/compiler';

/** Wraps `inner`; close() closes it. */
export function memoSqlParser(inner: SqlParser): SqlParser {
  const known = new Map<string, ParsedSql>();
  return {
    async parse(sqls) {
      const missing = [...new Set(sqls.filter((sql) => !known.has(sql)))];
      if (missing.length > 0) {
        const parsed = await inner.parse(missing);
        missing.forEach((sql, index) => {
          const result = parsed[index];
          if (result) known.set(sql, result);
        });
      }
      return sqls.map((sql) => known.get(sql) as ParsedSql);
    },
    close: () => inner.close(),
  };
}
