// The worker's attached lakes: one in-memory DuckDB per lakehouse (and sandbox), its extensions
// loaded and the lake attached once, from which every activity takes a connection of its own.
// Loading ducklake + postgres_scanner and attaching a PostgreSQL catalog cost ~1–2 s a time on the
// benchmark machine (docs/benchmarks.md), far more than a small step's SQL, and a run has 2 + 2 per
// step activities. Connections of one instance work in parallel and commit like separate processes
// (each publication one snapshot; a lost race a retryable conflict), so nothing of the guarantees
// changes: a publication is still one transaction, on the activity's own connection.
//
// An instance is closed when idle (no activity for idleCloseMs), when the worker stops, and after
// an activity on it found the catalog unreachable (the next activity attaches again).
//
// A catalog that is a DuckDB file (`<file>.ducklake`) is different: DuckDB's lock on the file is
// per process, so a second DuckDB instance in the same process opens it without complaint, and two
// instances on one file each keep their own state: one checkpoints on close and removes the
// write-ahead log the other is still appending to, and commits of the other are then invisible
// (restore.test.ts saw a run's 5 published rows read back as the previous 3) until it closes and
// overwrites the file. So an instance on a file catalog is kept only while activities use it
// (closed, and the file released, before the last one returns: other processes — `pipectl
// history`, a test reading the lake — may open it between activities, as before), and one is never
// opened on a file while another instance of this worker still has it open.
import { resolve } from 'node:path';
import {
  openSharedTargetLakehouse,
  type SharedLakehouse,
  type Warehouse,
  WarehouseError,
} from '@pipectl/engine';
import type { WarehouseTarget } from '@pipectl/spec';

type LakeTarget = Extract<WarehouseTarget, { kind: 'ducklake' }>;

export interface LakeInstances {
  /**
   * Runs `work` on a connection of its own to the lake of `target` (paths relative to
   * `projectDir`, sandboxed to `readable`); the instance is opened on first use and kept.
   * @example await lakes.use(target, project.dir, project.readable, (wh) => wh.all('select 1'))
   */
  use<T>(
    target: LakeTarget,
    projectDir: string,
    readable: readonly string[],
    work: (warehouse: Warehouse) => Promise<T>,
  ): Promise<T>;
  /** Closes every instance once the work running on it is done; later uses open them again. */
  close(): Promise<void>;
}

export interface LakeInstancesOptions {
  /** Close an instance after this long without use (default 30 s; a DuckDB-file catalog: at once). */
  readonly idleCloseMs?: number;
  /** Opens a lake; the engine's `openSharedTargetLakehouse` by default. */
  readonly open?: (
    target: LakeTarget,
    projectDir: string,
    readable: readonly string[],
  ) => Promise<SharedLakehouse>;
}

interface Entry {
  readonly lake: Promise<SharedLakehouse>;
  users: number;
  /** No new work: closed when the last user is done. */
  retired: boolean;
  idle: ReturnType<typeof setTimeout> | undefined;
  /** A DuckDB-file catalog (its path): one instance at a time, released as soon as it is unused. */
  readonly file: string | undefined;
  /** Settles when the instance is closed (or failed to open). */
  drained: Promise<void>;
  onDrained: () => void;
}

/**
 * Errors after which the attached instance is not trusted again: the catalog went away (its
 * connection pool inside the instance may be dead).
 */
const LOST_CATALOG =
  /could not connect|connection refused|server closed the connection|terminating connection|connection.*(lost|closed|reset)|SSL SYSCALL/i;

export function createLakeInstances(options: LakeInstancesOptions = {}): LakeInstances {
  const idleCloseMs = options.idleCloseMs ?? 30_000;
  const open =
    options.open ??
    ((target: LakeTarget, projectDir: string, readable: readonly string[]) =>
      openSharedTargetLakehouse(target, projectDir, { readable }));
  const entries = new Map<string, Entry>();
  /** The last instance opened on each DuckDB-file catalog; the next one waits for it to close. */
  const onFile = new Map<string, Entry>();

  const retire = (key: string, entry: Entry): void => {
    entry.retired = true;
    if (entries.get(key) === entry) entries.delete(key);
    if (entry.idle) clearTimeout(entry.idle);
    if (entry.users === 0) closeEntry(entry);
  };

  const entryFor = (key: string, target: LakeTarget, projectDir: string, readable: readonly string[]) => {
    const existing = entries.get(key);
    if (existing) return existing;
    let onDrained = (): void => undefined;
    const drained = new Promise<void>((done) => {
      onDrained = done;
    });
    const file = catalogFile(target, projectDir);
    const previous = file === undefined ? undefined : onFile.get(file);
    // Another instance on the same catalog file (another sandbox, i.e. other readable folders):
    // no new work for it, and this one opens once it has closed.
    if (previous) {
      for (const [otherKey, other] of entries) if (other === previous) retire(otherKey, other);
    }
    const entry: Entry = {
      lake: previous
        ? previous.drained.then(() => open(target, projectDir, readable))
        : open(target, projectDir, readable),
      users: 0,
      retired: false,
      idle: undefined,
      file,
      drained,
      onDrained,
    };
    entries.set(key, entry);
    if (file !== undefined) onFile.set(file, entry);
    // A lake that cannot be opened is not kept: the next activity tries again.
    entry.lake.catch(() => retire(key, entry));
    return entry;
  };

  return {
    async use(target, projectDir, readable, work) {
      const key = JSON.stringify([target.catalog, target.dataPath, projectDir, [...readable].sort()]);
      const entry = entryFor(key, target, projectDir, readable);
      entry.users++;
      if (entry.idle) clearTimeout(entry.idle);
      entry.idle = undefined;
      try {
        const warehouse = await (await entry.lake).connect();
        try {
          return await work(warehouse);
        } finally {
          warehouse.close();
        }
      } catch (error) {
        if (lostCatalog(error)) retire(key, entry);
        throw error;
      } finally {
        entry.users--;
        if (entry.users === 0) {
          if (entry.retired || entry.file !== undefined) {
            retire(key, entry);
            // The file is released before the activity reports back.
            if (entry.file !== undefined) await entry.drained;
          } else {
            entry.idle = setTimeout(() => retire(key, entry), idleCloseMs);
            entry.idle.unref();
          }
        }
      }
    },
    async close() {
      const all = [...entries];
      for (const [key, entry] of all) retire(key, entry);
      await Promise.all(all.map(([, entry]) => entry.drained));
    },
  };
}

const closed = new WeakSet<Entry>();

function closeEntry(entry: Entry): void {
  if (closed.has(entry)) return;
  closed.add(entry);
  entry.lake.then(
    (lake) => {
      try {
        lake.close();
      } finally {
        entry.onDrained();
      }
    },
    () => entry.onDrained(),
  );
}

/** The catalog's file when it is a DuckDB file (not `postgres:`, not `sqlite:`), resolved. */
function catalogFile(target: LakeTarget, projectDir: string): string | undefined {
  return /^(postgres|sqlite):/.test(target.catalog) ? undefined : resolve(projectDir, target.catalog);
}

function lostCatalog(error: unknown): boolean {
  if (error instanceof WarehouseError && error.code === 'PIPE5203') return true;
  return error instanceof Error && LOST_CATALOG.test(error.message);
}
