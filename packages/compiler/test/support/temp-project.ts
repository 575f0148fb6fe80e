// Writes a throwaway project into a temporary directory, for tests whose input is easier to read
// inline than as a fixture folder (or that need what git cannot hold, such as broken symlinks).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempProject {
  readonly dir: string;
  remove(): Promise<void>;
}

export async function writeTempProject(
  files: Record<string, string>,
  name = 'project',
): Promise<TempProject> {
  const parent = await mkdtemp(join(tmpdir(), 'pipectl-compiler-'));
  const dir = join(parent, name);
  await mkdir(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return { dir, remove: () => rm(parent, { recursive: true, force: true }) };
}

/**
 * A minimal valid contract document: each column a name (of `type`) or a [name, type] pair, then
 * `extra` lines (quality checks, say).
 */
export function contractYaml(
  name: string,
  columns: readonly (string | readonly [string, string])[],
  type = 'bigint',
  extra = '',
): string {
  return [
    'apiVersion: pipectl/v1',
    'kind: Contract',
    `name: ${name}`,
    'version: 1.0.0',
    'owner: team@example.com',
    'columns:',
    ...columns.flatMap((column) => {
      const [named, typed] = typeof column === 'string' ? [column, type] : column;
      return [`  - name: ${named}`, `    type: ${typed}`];
    }),
    extra,
  ].join('\n');
}
