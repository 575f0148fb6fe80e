// Functions waived from lint's complexity limit. Biome's `noExcessiveCognitiveComplexity`
// (biome.json) fails any function whose cognitive complexity is over 25; a waived one would carry
// a `biome-ignore` for that rule, with its reason, on the line above it. This counts those waivers
// per file, so a test can hold them to a list that stays empty: a function over the limit is split
// by phase, never waived.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { typescriptFiles } from './source-imports.js';
import { REPOSITORY_ROOT, readWorkspace } from './workspace.js';

export const COMPLEXITY_WAIVER = 'biome-ignore lint/complexity/noExcessiveCognitiveComplexity';

/** Waivers per file (relative to the repository root), in the sources of every workspace project; tests are not held to the limit. */
export function complexityWaivers(root: string = REPOSITORY_ROOT): Map<string, number> {
  const counts = new Map<string, number>();
  for (const project of readWorkspace(root)) {
    for (const file of [
      ...typescriptFiles(join(root, project.dir)),
      ...scriptAssets(join(root, project.dir)),
    ]) {
      const path = relative(root, file);
      if (path.endsWith('.test.ts') || path.split('/').includes('test')) continue;
      const found = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trimStart().startsWith(`// ${COMPLEXITY_WAIVER}`)).length;
      if (found > 0) counts.set(path, found);
    }
  }
  return counts;
}

/** The browser scripts a package ships as assets (the catalog site's), which lint also checks. */
function scriptAssets(dir: string): string[] {
  const assets = join(dir, 'assets');
  if (!existsSync(assets)) return [];
  return readdirSync(assets)
    .filter((name) => name.endsWith('.js'))
    .map((name) => join(assets, name));
}
