// One entry for every caller (CLI, worker activities): open the warehouse a target names, the
// embedded DuckDB file or the DuckLake lakehouse, with paths relative to the project directory.
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { WarehouseTarget } from '@pipectl/spec';
import { openLakehouse, openSharedLakehouse, type SharedLakehouse } from './lakehouse.js';
import { openWarehouse, type Warehouse } from './warehouse.js';

export interface OpenTargetOptions {
  /** Folders (or files) project SQL and extraction may read, e.g. `projectReadablePaths(...)`. */
  readonly readable?: readonly string[];
  /** Where LOAD finds extensions; `findExtensionDirectory()` by default. */
  readonly extensionDirectory?: string;
  /** Read-only: the DuckDB file opened `READ_ONLY`, the lake attached `READ_ONLY`; nothing is created. */
  readonly readOnly?: boolean;
}

/**
 * Opens the warehouse of a resolved target (`resolveTarget` from @pipectl/spec has already read
 * its `${VAR}`s from the environment).
 * @example const wh = await openTargetWarehouse(target, '/srv/shop', { readable: projectReadablePaths(root, project, plan.pipelines) })
 */
export async function openTargetWarehouse(
  target: { readonly warehouse: WarehouseTarget },
  projectDir: string,
  options: OpenTargetOptions = {},
): Promise<Warehouse> {
  const extra = {
    ...(options.readable ? { readable: options.readable } : {}),
    ...(options.extensionDirectory ? { extensionDirectory: options.extensionDirectory } : {}),
    ...(options.readOnly ? { readOnly: true } : {}),
  };
  const { warehouse } = target;
  if (warehouse.kind === 'duckdb') {
    const path = resolve(projectDir, warehouse.path);
    if (!options.readOnly) mkdirSync(dirname(path), { recursive: true });
    return openWarehouse(path, extra);
  }
  return openLakehouse({
    catalog: catalogIn(projectDir, warehouse.catalog),
    dataPath: isUrl(warehouse.dataPath) ? warehouse.dataPath : resolve(projectDir, warehouse.dataPath),
    ...extra,
  });
}

/**
 * The lakehouse of a DuckLake target opened once to hand out connections (`openSharedLakehouse`),
 * with paths relative to the project directory as `openTargetWarehouse` resolves them.
 * @example const lake = await openSharedTargetLakehouse(target.warehouse, '/srv/shop', { readable })
 */
export function openSharedTargetLakehouse(
  warehouse: Extract<WarehouseTarget, { kind: 'ducklake' }>,
  projectDir: string,
  options: Omit<OpenTargetOptions, 'readOnly'> = {},
): Promise<SharedLakehouse> {
  return openSharedLakehouse({
    catalog: catalogIn(projectDir, warehouse.catalog),
    dataPath: isUrl(warehouse.dataPath) ? warehouse.dataPath : resolve(projectDir, warehouse.dataPath),
    ...(options.readable ? { readable: options.readable } : {}),
    ...(options.extensionDirectory ? { extensionDirectory: options.extensionDirectory } : {}),
  });
}

/** A catalog with its file (a `.ducklake` or `sqlite:` file) resolved against the project directory. */
function catalogIn(projectDir: string, catalog: string): string {
  if (catalog.startsWith('postgres:')) return catalog;
  if (catalog.startsWith('sqlite:')) return `sqlite:${fileIn(projectDir, catalog.slice('sqlite:'.length))}`;
  return fileIn(projectDir, catalog);
}

function fileIn(projectDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(projectDir, path);
}

function isUrl(path: string): boolean {
  return /^[a-z][a-z0-9+]*:\/\//i.test(path);
}
