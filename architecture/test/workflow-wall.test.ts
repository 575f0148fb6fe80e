// The import wall around workflow code: computed from Node's builtinModules and the workspace's
// dependencies, written into biome.json, and proved by linting fixtures with the real config.
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBiomeConfig, restrictedImportPaths, workflowOverride } from '../src/biome-config.js';
import { importsOf, typescriptFiles } from '../src/source-imports.js';
import {
  BUILTIN_MESSAGE,
  biomeWallOverride,
  computeWorkflowWall,
  isDenied,
  WORKFLOW_FILES,
} from '../src/workflow-wall.js';
import { REPOSITORY_ROOT } from '../src/workspace.js';
import { lintFixture, restrictedImports } from './support/lint-fixture.js';

const wall = computeWorkflowWall();
const workflowFile = (name: string) => `${WORKFLOW_FILES.replace('**', '')}${name}`;

describe('the workflow wall', () => {
  const written = workflowOverride(readBiomeConfig(REPOSITORY_ROOT));
  const writtenPaths = restrictedImportPaths(written);
  const writtenBuiltins = Object.keys(writtenPaths).filter((name) => writtenPaths[name] === BUILTIN_MESSAGE);

  it("is what biome.json enforces (run `npm run generate` after changing a package's dependencies)", () => {
    // The builtins written may come from another Node version; the next test holds them to this one's.
    expect(written).toEqual(biomeWallOverride({ builtins: writtenBuiltins, packages: wall.packages }));
  });

  it("denies, in biome.json, every Node builtin of this Node's builtinModules", () => {
    const bare = builtinModules.filter((name) => !name.startsWith('node:'));

    expect(writtenBuiltins).toEqual(expect.arrayContaining(bare));
    expect(writtenBuiltins).toEqual(expect.arrayContaining(['timers', 'util', 'events', 'timers/promises']));
  });

  it('denies the workspace packages that do I/O, each for a reason found in its dependencies or sources', () => {
    const reasons = Object.fromEntries(wall.packages.map((entry) => [entry.name, entry.reason]));

    expect(reasons).toMatchObject({
      '@pipectl/engine': expect.stringContaining('@duckdb/node-api'),
      '@pipectl/compiler': expect.stringContaining('@duckdb/node-api'),
      '@pipectl/runtime': expect.stringContaining('@temporalio/'),
      '@pipectl/spec': expect.stringContaining('node:'),
      '@pipectl/check': expect.stringContaining('node:'),
      '@pipectl/compat': 'imports the Node builtin node:module',
      '@temporalio/client': expect.any(String),
      '@temporalio/worker': expect.any(String),
      '@temporalio/activity': expect.any(String),
    });
    expect(Object.keys(reasons)).not.toContain('@temporalio/workflow');
    expect(Object.keys(reasons)).not.toContain('@temporalio/common');
  });

  it("holds for today's workflow files", () => {
    const files = typescriptFiles(join(REPOSITORY_ROOT, WORKFLOW_FILES.replace('/**', '')));
    const denied = files
      .flatMap((file) => importsOf(file, REPOSITORY_ROOT))
      .filter((found) => isDenied(wall, found.specifier));

    expect(files.length).toBeGreaterThan(0);
    expect(denied).toEqual([]);
  });
});

describe('biome, with the repository biome.json, on a temporary workflow fixture', () => {
  it('catches a bare `timers` import', () => {
    const found = restrictedImports(
      lintFixture({
        [workflowFile('uses-timers.ts')]: "import { setTimeout } from 'timers';\nexport { setTimeout };\n",
      }),
    );

    expect(found).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringContaining('Node builtin') }),
    ]);
  });

  it('catches an `@pipectl/engine` import, and a file inside it', () => {
    const found = restrictedImports(
      lintFixture({
        [workflowFile('uses-engine.ts')]: [
          "import { openWarehouse } from '@pipectl/engine';",
          "import { publish } from '@pipectl/engine/src/publish/publish.js';",
          'export { openWarehouse, publish };',
          '',
        ].join('\n'),
      }),
    );

    expect(found.map((diagnostic) => diagnostic.line)).toEqual([1, 2]);
    expect(found[0]?.message).toContain('@pipectl/engine depends on @duckdb/node-api');
  });

  it('catches every Node builtin, bare and with `node:`, and every denied package', () => {
    const modules = [
      ...wall.builtins,
      ...wall.builtins.map((name) => `node:${name}`),
      'node:test',
      ...wall.packages.map((entry) => entry.name),
    ];
    const text = `${modules.map((name, i) => `import * as m${i} from '${name}';`).join('\n')}\nexport { ${modules.map((_, i) => `m${i}`).join(', ')} };\n`;

    const lines = new Set(
      restrictedImports(lintFixture({ [workflowFile('everything.ts')]: text })).map((d) => d.line),
    );
    const missed = modules.filter((_, i) => !lines.has(i + 1));

    expect(missed).toEqual([]);
  });

  it('lets the workflow SDK, Temporal common and relative imports through, and walls in only workflow files', () => {
    const allowed = [
      "import { proxyActivities } from '@temporalio/workflow';",
      "import { SearchAttributeType } from '@temporalio/common';",
      "import type { RunActivities } from '../activities/run-activities.js';",
      "import { stableJson } from './stable-json.js';",
      'export { proxyActivities, SearchAttributeType, stableJson };',
      'export type { RunActivities };',
      '',
    ].join('\n');
    const forbidden =
      "import { setTimeout } from 'timers';\nimport { openWarehouse } from '@pipectl/engine';\nexport { setTimeout, openWarehouse };\n";

    const found = restrictedImports(
      lintFixture({
        [workflowFile('allowed.ts')]: allowed,
        'packages/runtime/src/activities/outside-the-wall.ts': forbidden,
      }),
    );

    expect(found).toEqual([]);
  });
});
