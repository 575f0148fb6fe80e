// What differs between the two kinds of warehouse, declared by each kind rather than switched on in
// shared code: the embedded DuckDB file enforces keys and has no snapshots; a DuckLake lakehouse
// cannot declare PRIMARY KEY/UNIQUE, and commits every transaction as a numbered snapshot that
// time travel reads (`AT (VERSION => n)`).
import { quoteIdent, quoteLiteral } from './identifiers.js';
import type { Warehouse } from './warehouse.js';

export type WarehouseKind = 'duckdb' | 'ducklake';

export interface WarehouseStorage {
  readonly kind: WarehouseKind;
  /** `, PRIMARY KEY ("a", "b")` where the storage enforces keys; `''` where it cannot (DuckLake). */
  keyClause(columns: readonly string[]): string;
  /**
   * Labels the commit of the open transaction with `label` (a JSON object), so the snapshot it
   * becomes can be found afterwards; nothing on a file, which has no snapshots.
   */
  labelCommit(tx: Warehouse, label: Readonly<Record<string, string>>): Promise<void>;
  /**
   * A SELECT of `(snapshot_id, label)` over the labelled commits, `label` being the JSON given to
   * `labelCommit`; undefined where there are no snapshots.
   */
  readonly labelledSnapshots: string | undefined;
  /** The relation as it was at a snapshot: `"s"."t" AT (VERSION => 7)`; undefined without snapshots. */
  at(quotedRelation: string, snapshotId: number): string | undefined;
}

/** The embedded DuckDB file: real keys, no snapshots. */
export const FILE_STORAGE: WarehouseStorage = {
  kind: 'duckdb',
  keyClause: (columns) =>
    columns.length === 0 ? '' : `, PRIMARY KEY (${columns.map(quoteIdent).join(', ')})`,
  labelCommit: async () => undefined,
  labelledSnapshots: undefined,
  at: () => undefined,
};

/** A DuckLake attached as `alias`: no key constraints, one snapshot per commit. */
export function lakeStorage(alias: string): WarehouseStorage {
  const lake = quoteIdent(alias);
  return {
    kind: 'ducklake',
    keyClause: () => '',
    async labelCommit(tx, label) {
      await tx.run(`CALL ${lake}.set_commit_message('pipectl', ?, extra_info => ?)`, [
        Object.entries(label)
          .map(([key, value]) => `${key} ${value}`)
          .join(', '),
        JSON.stringify(label),
      ]);
    },
    labelledSnapshots: `SELECT snapshot_id, commit_extra_info AS label FROM ${lake}.snapshots() WHERE author = ${quoteLiteral('pipectl')}`,
    at: (relation, snapshotId) => `${relation} AT (VERSION => ${Math.floor(snapshotId)})`,
  };
}
