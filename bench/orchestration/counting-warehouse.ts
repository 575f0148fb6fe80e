// A Warehouse that counts what it sends to DuckDB, for the benchmark only: every call of `run`,
// `all` and `json`, each BEGIN / COMMIT / ROLLBACK of `transaction`, and the connection calls the
// engine makes directly (`extractStatements`, appenders, `prepare`, `run*`). Each statement is
// booked under the engine file (and function) that issued it — the first stack frame in
// packages/engine/src outside warehouse/ — and under the source or step running at the time
// (`current`), so a run's statements can be broken down by phase.
import type { Warehouse } from '@pipectl/engine';

export interface CountedStatement {
  /** The source or step running (set by the caller), e.g. `orchestration_bench/s01_events`. */
  readonly of: string;
  /** The engine file and function that sent it, e.g. `registry/published-versions.ts findPublication`. */
  readonly site: string;
  /** The statement's text, its first 160 characters on one line. */
  readonly sql: string;
  /** Wall time of the call, when it was timed (run, all, json). */
  ms?: number;
}

export interface CountingWarehouse {
  readonly warehouse: Warehouse;
  readonly statements: CountedStatement[];
  /** Books the next statements under `of`. */
  setCurrent(of: string): void;
}

const ENGINE_FRAME = /at (?:async )?(?:(\S+) \()?.*packages\/engine\/src\/(?!warehouse\/)([^:)]+):\d+/;

function siteOf(stack: string | undefined): string {
  for (const line of (stack ?? '').split('\n')) {
    const match = ENGINE_FRAME.exec(line);
    if (match) return `${match[2]} ${match[1] ?? '?'}`;
  }
  return 'other';
}

const CONNECTION_CALLS = new Set([
  'run',
  'runAndReadAll',
  'runAndRead',
  'stream',
  'streamAndReadAll',
  'prepare',
  'extractStatements',
  'createAppender',
]);

/** Wraps `inner` so that every statement it runs is recorded in `statements`. */
export function countingWarehouse(inner: Warehouse): CountingWarehouse {
  const statements: CountedStatement[] = [];
  let current = 'open';
  let depth = 0;
  const book = (sql: string): CountedStatement => {
    const statement: CountedStatement = {
      of: current,
      site: siteOf(new Error().stack),
      sql: sql.replace(/\s+/g, ' ').trim().slice(0, 160),
    };
    statements.push(statement);
    return statement;
  };
  const timed = async <T>(sql: string, call: () => Promise<T>): Promise<T> => {
    const statement = book(sql);
    const started = performance.now();
    try {
      return await call();
    } finally {
      statement.ms = performance.now() - started;
    }
  };
  const connection = new Proxy(inner.connection, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      if (!CONNECTION_CALLS.has(property)) return value.bind(target);
      return (...args: unknown[]) => {
        book(`[connection.${property}] ${typeof args[0] === 'string' ? args[0] : ''}`);
        return value.apply(target, args);
      };
    },
  }) as Warehouse['connection'];
  const warehouse: Warehouse = {
    connection,
    readable: inner.readable,
    storage: inner.storage,
    known: inner.known,
    run: (sql, params) => timed(sql, () => inner.run(sql, params)),
    all: (sql, params) => timed(sql, () => inner.all(sql, params)),
    json: (sql, params) => timed(sql, () => inner.json(sql, params)),
    transaction(work) {
      // A nested call joins the outer transaction (as the real one does): nothing is sent.
      if (depth > 0) return work(warehouse);
      book('BEGIN TRANSACTION');
      depth++;
      return inner
        .transaction(() => work(warehouse))
        .then(
          (result) => {
            book('COMMIT');
            return result;
          },
          (error: unknown) => {
            book('ROLLBACK');
            throw error;
          },
        )
        .finally(() => {
          depth--;
        });
    },
    close: () => inner.close(),
  };
  return {
    warehouse,
    statements,
    setCurrent(of) {
      current = of;
    },
  };
}
