// Confined sources at validate: every file source's `path` stays inside the project directory or
// a folder pipectl.yaml lists under `sandbox.readable` (PIPE2011 at the `path:` otherwise). Reads
// the file system's metadata only (symlinks, device files), never the data.
import { confineSourcePath, type Issue, readableRoots } from '@pipectl/spec';
import type { LoadedProject } from '../load/load-project.js';
import { documentIssue } from './issue-builders.js';

export function checkSourcePaths(loaded: LoadedProject, issues: Issue[]): void {
  const roots = readableRoots(loaded.root, loaded.project);
  for (const pipeline of loaded.pipelines) {
    pipeline.value.sources.forEach((source, index) => {
      if (!('path' in source)) return;
      const verdict = confineSourcePath(source.path, loaded.root, roots);
      if (verdict.ok) return;
      issues.push(
        documentIssue(
          pipeline,
          'PIPE2011',
          ['sources', index, 'path'],
          `source "${source.name}" reads "${source.path}", outside the project: ${verdict.reason}`,
          {
            expected: `a file or glob inside ${roots.join(' or ')}`,
            hint: 'move or link the data into the project (e.g. data/), or list its folder under `sandbox.readable` in pipectl.yaml',
          },
        ),
      );
    });
  }
}
