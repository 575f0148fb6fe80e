// The SqlBinder over DuckDB: a fresh in-memory database per bind() (so one compile never sees
// another's relations), every relation created empty in one batch of DDL, then `DESCRIBE <query>`
// per query, which binds without executing and spells types exactly as DESCRIBE of the table a run
// builds. Sandboxed like the parser: no file, no extension, configuration locked. DuckDB is imported
// when a session opens, so commands that never bind (diff, help) do not load its native library.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
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
 * A SqlBinder backed by in-memory DuckDB databases, one per session.
 * @example const session = createDuckDbSqlBinder().open([{ dataset: 'raw.orders', columns }]); await session.bind(['select 1']); session.close();
 */
export function createDuckDbSqlBinder(): SqlBinder {
  return {
    open(relations) {
      let closed = false;
      const connections: DuckDBConnection[] = [];
      const ready = import('@duckdb/node-api').then(async ({ DuckDBInstance }) => {
        const instance: DuckDBInstance = await DuckDBInstance.create(':memory:', SANDBOXED);
        const main = await instance.connect();
        connections.push(main);
        await createRelations(main, relations);
        return instance;
      });
      // Failures surface from bind(); this only keeps an early one from going unhandled.
      ready.catch(() => undefined);
      return {
        async bind(queries) {
          if (closed) throw new Error('the bind session is closed');
          if (queries.length === 0) return [];
          const instance = await ready;
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
        },
        close() {
          if (closed) return;
          closed = true;
          ready
            .then((instance) => {
              for (const connection of connections) connection.closeSync();
              instance.closeSync();
            })
            .catch(() => undefined);
        },
      };
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
    // One transaction: DuckDB commits the catalog once instead of once per table.
    await db.run(`BEGIN TRANSACTION;\n${ddl.join('\n')}\nCOMMIT;`);
  } catch {
    await db.run('ROLLBACK').catch(() => undefined);
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
