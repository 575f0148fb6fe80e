// Finds the pnpm workspace root (the directory holding pnpm-workspace.yaml) by walking up from a
// directory. Used to locate repo-local tools such as the Temporal dev server in .tools/bin.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Returns the nearest ancestor of `from` (itself included) that holds pnpm-workspace.yaml, if any. */
export function findRepoRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
