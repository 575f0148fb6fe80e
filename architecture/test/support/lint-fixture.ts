// Runs the repository's biome.json over a temporary fixture tree: the files are written into a
// scratch folder at the paths given (e.g. under packages/runtime/src/workflows/), next to a copy
// of the real biome.json, and linted there, so overrides apply exactly as they do in the repository.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { biomeBinary } from '../../src/biome-config.js';
import { REPOSITORY_ROOT } from '../../src/workspace.js';

export interface LintDiagnostic {
  readonly path: string;
  readonly line: number;
  readonly category: string;
  readonly message: string;
}

export function lintFixture(files: Record<string, string>): LintDiagnostic[] {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-wall-'));
  try {
    copyFileSync(join(REPOSITORY_ROOT, 'biome.json'), join(dir, 'biome.json'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    // The scratch folder is not a git repository: biome's VCS integration is off for it.
    const result = spawnSync(
      biomeBinary(REPOSITORY_ROOT),
      ['lint', '--vcs-enabled=false', '--reporter=json', '--max-diagnostics=none', '.'],
      { cwd: dir, encoding: 'utf8' },
    );
    const json = result.stdout.slice(result.stdout.indexOf('{'));
    if (!json) throw new Error(`biome printed no report (exit ${result.status}): ${result.stderr}`);
    const report = JSON.parse(json) as {
      diagnostics: {
        category: string;
        message: string;
        location: { path: string; start?: { line: number } };
      }[];
    };
    return report.diagnostics.map((diagnostic) => ({
      path: diagnostic.location.path,
      line: diagnostic.location.start?.line ?? 0,
      category: diagnostic.category,
      message: diagnostic.message,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Only the import wall's diagnostics. */
export function restrictedImports(diagnostics: readonly LintDiagnostic[]): LintDiagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.category === 'lint/style/noRestrictedImports');
}
