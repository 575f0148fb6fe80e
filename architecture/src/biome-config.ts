// Reading and writing the workflow wall's override in the repository's biome.json.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKFLOW_FILES } from './workflow-wall.js';

interface BiomeOverride {
  includes?: string[];
  [key: string]: unknown;
}

interface BiomeConfig {
  overrides?: BiomeOverride[];
  [key: string]: unknown;
}

/** The biome binary the repository pins. */
export function biomeBinary(root: string): string {
  return join(root, 'node_modules', '.bin', 'biome');
}

export function readBiomeConfig(root: string): BiomeConfig {
  return JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8')) as BiomeConfig;
}

/** The override whose `includes` is exactly the workflow folder. */
export function workflowOverride(config: BiomeConfig): BiomeOverride | undefined {
  return config.overrides?.find(
    (entry) => entry.includes?.length === 1 && entry.includes[0] === WORKFLOW_FILES,
  );
}

/** Replaces (or appends) the workflow override, then lets biome format the file its own way. */
export function writeWorkflowOverride(root: string, override: BiomeOverride): void {
  const config = readBiomeConfig(root);
  const overrides = config.overrides ?? [];
  const current = workflowOverride(config);
  const index = current ? overrides.indexOf(current) : -1;
  if (index < 0) overrides.push(override);
  else overrides[index] = override;
  config.overrides = overrides;
  const file = join(root, 'biome.json');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  execFileSync(biomeBinary(root), ['format', '--write', file], { cwd: root, stdio: 'pipe' });
}

/** The `paths` option of the override's noRestrictedImports rule (module → message). */
export function restrictedImportPaths(override: BiomeOverride | undefined): Record<string, string> {
  const linter = override?.linter as
    | { rules?: { style?: { noRestrictedImports?: { options?: { paths?: Record<string, string> } } } } }
    | undefined;
  return linter?.rules?.style?.noRestrictedImports?.options?.paths ?? {};
}
