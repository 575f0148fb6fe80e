// What a project's warehouse may read: the folder (or file) of every file source that stays
// inside the project's readable roots. A source that escapes is left out, so DuckDB refuses it
// too, whatever the caller skipped.
import { confineSourcePath } from '@pipectl/spec';

/**
 * The static folders of `sources`' paths (`data/orders` for `data/orders/*.csv`), absolute,
 * deduplicated; sources outside `roots` contribute nothing.
 * @example readablePaths('/p', [{ path: 'data/*.csv' }], ['/p']) // ['/p/data']
 */
export function readablePaths(
  projectDir: string,
  sources: readonly { readonly path?: string }[],
  roots: readonly string[],
): string[] {
  const paths = new Set<string>();
  for (const source of sources) {
    if (source.path === undefined) continue;
    const verdict = confineSourcePath(source.path, projectDir, roots);
    if (verdict.ok) paths.add(verdict.absolute);
  }
  return [...paths].sort();
}
