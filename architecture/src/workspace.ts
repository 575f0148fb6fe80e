// The workspace as the rules see it: every project pnpm-workspace.yaml lists, with the package
// names it declares in package.json. Read from disk each time, so a new package is covered the
// moment it is added.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository's root folder (this project sits one level below it). */
export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface WorkspaceProject {
  /** Package name, e.g. `@pipectl/engine`. */
  readonly name: string;
  /** Folder relative to the repository root, e.g. `packages/engine`. */
  readonly dir: string;
  readonly dependencies: readonly string[];
  readonly devDependencies: readonly string[];
  /** Its public entry points as import specifiers: the name, and `name/sub` for each `./sub` export. */
  readonly entryPoints: readonly string[];
}

interface PackageJson {
  name?: string;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Every project of the pnpm workspace under `root`, sorted by folder. */
export function readWorkspace(root: string = REPOSITORY_ROOT): WorkspaceProject[] {
  const manifest = parse(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')) as { packages?: string[] };
  const dirs = (manifest.packages ?? []).flatMap((entry) => expandWorkspaceEntry(root, entry));
  return dirs
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .sort()
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as PackageJson;
      const name = pkg.name ?? dir;
      const subpaths = Object.keys(pkg.exports ?? {}).filter((key) => key.startsWith('./'));
      return {
        name,
        dir,
        entryPoints: [name, ...subpaths.map((key) => `${name}/${key.slice(2)}`)],
        dependencies: Object.keys(pkg.dependencies ?? {}),
        devDependencies: Object.keys(pkg.devDependencies ?? {}),
      };
    });
}

/** `packages/*` → its sub-folders; a plain folder → itself (the only two forms the workspace uses). */
function expandWorkspaceEntry(root: string, entry: string): string[] {
  if (!entry.endsWith('/*')) return [entry];
  const parent = entry.slice(0, -2);
  return readdirSync(join(root, parent), { withFileTypes: true })
    .filter((child) => child.isDirectory())
    .map((child) => `${parent}/${child.name}`);
}
