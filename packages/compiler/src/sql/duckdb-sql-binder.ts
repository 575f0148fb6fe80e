// The SqlBinder over DuckDB: a fresh in-memory database per bind() (so one compile never sees
// another's relations), every relation created empty in one batch of DDL, then `DESCRIBE <query>`
// per query, which binds without executing and spells types exactly as DESCRIBE of the table a run
// builds. Sandboxed like the parser: no file, no extension, configuration locked.
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { readDuckDbError } from './binder-error.js';
import type { BoundSql, RelationSchema, SqlBinder } from './sql-binder.js';
import { relationOf } from './sql-template.js';

const SANDBOXED = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  allow_community_extensions: 'false',
  enable_external_access: 'false',
  lock_configuration: 'true',
};
// Several connections bind concurrently: DuckDB binds on its own threads while JavaScript waits.
const CONNECTIONS = 2;

/**
 * A SqlBinder backed by in-memory DuckDB databases.
 * @example const binder = createDuckDbSqlBinder(); await binder.bind([{ dataset: 'raw.orders', columns }], ['select 1']);
 */
export function createDuckDbSqlBinder(): SqlBinder {
  const open = new Set<DuckDBInstance>();
  return {
    async bind(relations, queries) {
      if (queries.length === 0) return [];
      const instance = await DuckDBInstance.create(':memory:', SANDBOXED);
      open.add(instance);
      const connections: DuckDBConnection[] = [];
      try {
        const main = await instance.connect();
        connections.push(main);
        await createRelations(main, relations);
        while (connections.length < Math.min(CONNECTIONS, queries.length))
          connections.push(await instance.connect());
        const results: BoundSql[] = new Array(queries.length);
        let next = 0;
        await Promise.all(
          connections.map(async (connection) => {
            for (let n = next++; n < queries.length; n = next++)
              results[n] = await describe(connection, queries[n] as string);
          }),
        );
        return results;
      } finally {
        for (const connection of connections) connection.closeSync();
        instance.closeSync();
        open.delete(instance);
      }
    },
    close() {
      for (const instance of open) instance.closeSync();
      open.clear();
    },
  };
}

async function createRelations(db: DuckDBConnection, relations: readonly RelationSchema[]): Promise<void> {
  const schemas = new Set(relations.map((relation) => relation.dataset.split('.')[0] as string));
  const ddl = [
    ...[...schemas].map((schema) => `CREATE SCHEMA IF NOT EXISTS ${relationOf(schema)};`),
    ...relations.map(tableDdl),
  ];
  try {
    await db.run(ddl.join('\n'));
  } catch {
    // One refused type fails the batch; create one by one, leaving out what DuckDB refuses.
    for (const statement of ddl)
      await db.run(statement.replace(/^CREATE TABLE /, 'CREATE TABLE IF NOT EXISTS ')).catch(() => undefined);
  }
}

function tableDdl(relation: RelationSchema): string {
  const columns = relation.columns.map((column) => `${relationOf(column.name)} ${column.type}`);
  return `CREATE TABLE ${relationOf(relation.dataset)} (${columns.join(', ')});`;
}

async function describe(db: DuckDBConnection, query: string): Promise<BoundSql> {
  try {
    const reader = await db.runAndReadAll(`DESCRIBE ${query}`);
    const columns = reader
      .getRowObjects()
      .map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
    return { ok: true, columns };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    // The excerpt DuckDB shows is of the whole statement, `DESCRIBE ` included.
    const read = readDuckDbError(raw, `DESCRIBE ${query}`);
    const position =
      read.position === undefined ? undefined : Math.max(0, read.position - 'DESCRIBE '.length);
    return {
      ok: false,
      errorType: read.errorType,
      message: read.message,
      ...(position !== undefined ? { position } : {}),
    };
  }
}
