// What a project's warehouse may read: the folder (or file) of every file source that stays
// inside the project's readable roots. A source that escapes is left out, so DuckDB refuses it
// too, whatever the caller skipped.
import { confineSourcePath, type Project, readableRoots, type Source } from '@pipectl/spec';

/**
 * The static folders of `sources`' paths (`data/orders` for `data/orders/*.csv`), absolute,
 * deduplicated; sources outside `roots` contribute nothing.
 * @example readablePaths('/p', [{ kind: 'csv', path: 'data/*.csv', ... }], ['/p']) // ['/p/data']
 */
export function readablePaths(
  projectDir: string,
  sources: readonly Source[],
  roots: readonly string[],
): string[] {
  const paths = new Set<string>();
  for (const source of sources) {
    if (!('path' in source)) continue;
    const verdict = confineSourcePath(source.path, projectDir, roots);
    if (verdict.ok) paths.add(verdict.absolute);
  }
  return [...paths].sort();
}

/**
 * What the warehouse of a project may read: the folders of every file source of every pipeline,
 * inside the project directory or its `sandbox.readable` folders.
 * @example openWarehouse(file, { readable: projectReadablePaths(root, compiled.project, compiled.plan.pipelines) })
 */
export function projectReadablePaths(
  projectDir: string,
  project: Pick<Project, 'sandbox'>,
  pipelines: readonly { readonly sources: readonly Source[] }[],
): string[] {
  return readablePaths(
    projectDir,
    pipelines.flatMap((pipeline) => pipeline.sources),
    readableRoots(projectDir, project),
  );
}
