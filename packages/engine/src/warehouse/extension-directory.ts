// Where DuckDB finds extensions: the project's tools folder, filled by
// scripts/install-duckdb-extensions.sh from DuckDB's signed PyPI builds. DuckDB never downloads
// anything itself (autoinstall is off), so this folder is the only place a LOAD reads from.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Environment variable that overrides the extension folder. */
export const DUCKDB_EXTENSIONS_ENV = 'PIPECTL_DUCKDB_EXTENSIONS';

/** The command that fills the folder, quoted in "not found" messages. */
export const INSTALL_EXTENSIONS_COMMAND = 'bash scripts/install-duckdb-extensions.sh';

export interface FindExtensionDirectoryOptions {
  /** Environment to read PIPECTL_DUCKDB_EXTENSIONS from; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where to start looking for the repository root; defaults to process.cwd(), then this module's folder. */
  readonly cwd?: string;
}

/**
 * The folder to give DuckDB as `extension_directory` (it holds `v1.4.4/linux_amd64/*.duckdb_extension`):
 * PIPECTL_DUCKDB_EXTENSIONS when set, else `<repository root>/.tools/duckdb/extensions` of the
 * first root found above the working directory or this module. The folder may not exist: then
 * nothing can be loaded, which is the safe answer.
 * @example findExtensionDirectory() // '/src/pipectl/.tools/duckdb/extensions'
 */
export function findExtensionDirectory(options: FindExtensionDirectoryOptions = {}): string {
  const env = options.env ?? process.env;
  const fromEnv = env[DUCKDB_EXTENSIONS_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(options.cwd ?? process.cwd(), fromEnv);
  const starts =
    options.cwd !== undefined ? [options.cwd] : [process.cwd(), dirname(fileURLToPath(import.meta.url))];
  const candidates = starts
    .map(findRepoRoot)
    .filter((root) => root !== undefined)
    .map((root) => join(root, '.tools', 'duckdb', 'extensions'));
  return (
    candidates.find((candidate) => existsSync(candidate)) ??
    candidates[0] ??
    join(resolve(starts[0] ?? '.'), '.tools', 'duckdb', 'extensions')
  );
}

/** The nearest folder at or above `start` holding a pnpm-workspace.yaml (the repository) or a .tools folder (a project). */
function findRepoRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml')) || existsSync(join(dir, '.tools'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
