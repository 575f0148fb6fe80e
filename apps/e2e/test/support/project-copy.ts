// Copies of the fixture project (`fixtures/projects/shop`) in a temporary directory, and the
// overlay that changes it (`shop-v2`: only the files it replaces). The warehouse lands in the copy.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECTS = fileURLToPath(new URL('../fixtures/projects/', import.meta.url));

export interface ProjectCopy {
  readonly dir: string;
  /** Lays an overlay's files over the copy: the next run sees the changed project. */
  apply(overlay: 'shop-v2'): void;
  remove(): void;
}

export function copyProject(): ProjectCopy {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-e2e-'));
  cpSync(join(PROJECTS, 'shop'), dir, { recursive: true });
  return {
    dir,
    apply: (overlay) => cpSync(join(PROJECTS, overlay), dir, { recursive: true }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
