// The per-package import map: every import of every workspace project agrees with its
// package.json and with the layering table (src/package-rules.ts); proved on the repository and
// on a temporary workspace that breaks each rule once.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkImportMap, checkRuleTable } from '../src/import-map.js';
import { PACKAGE_RULES, type PackageRule } from '../src/package-rules.js';
import { readWorkspace } from '../src/workspace.js';

describe('the repository', () => {
  it('imports only declared workspace packages, downwards, through their entry points', () => {
    expect(checkImportMap()).toEqual([]);
  });

  it('has a row in the layering table for every workspace project, and no row for a project that is gone', () => {
    const projects = readWorkspace().map((project) => project.name);

    expect(PACKAGE_RULES.map((rule) => rule.name).sort()).toEqual([...projects].sort());
  });

  it("follows DESIGN.md's direction: the language at the bottom, Temporal above the engine, the CLI on top", () => {
    const layer = Object.fromEntries(PACKAGE_RULES.map((rule) => [rule.name, rule.layer]));

    expect(layer['@pipectl/spec']).toBe(0);
    expect(layer['@pipectl/compat']).toBeLessThan(layer['@pipectl/engine'] as number);
    expect(layer['@pipectl/compiler']).toBeLessThan(layer['@pipectl/check'] as number);
    expect(layer['@pipectl/engine']).toBeLessThan(layer['@pipectl/runtime'] as number);
    expect(layer['@pipectl/runtime']).toBeLessThan(layer['@pipectl/cli'] as number);
  });
});

describe('a layering table', () => {
  it('may not let a package import one of its own layer or above', () => {
    const rules: PackageRule[] = [
      { name: 'low', layer: 0, role: '', mayImport: { high: 'sideways' } },
      { name: 'high', layer: 0, role: '', mayImport: {} },
    ];

    expect(checkRuleTable(rules).map((violation) => violation.problem)).toEqual([
      'low (layer 0) may import high (layer 0): imports must point to a lower layer',
    ]);
  });
});

describe('on a temporary workspace', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  const rules: PackageRule[] = [
    { name: '@w/base', layer: 0, role: 'the bottom', mayImport: {} },
    { name: '@w/middle', layer: 1, role: 'in between', mayImport: { '@w/base': 'builds on it' } },
    {
      name: '@w/top',
      layer: 2,
      role: 'the program',
      mayImport: { '@w/middle': 'runs it', '@w/base': 'types' },
    },
  ];

  /** Writes a workspace of three packages, with the given files and dependencies. */
  function workspace(files: Record<string, string>, dependencies: Record<string, string[]>): string {
    const root = mkdtempSync(join(tmpdir(), 'pipectl-import-map-'));
    roots.push(root);
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n');
    for (const name of ['base', 'middle', 'top']) {
      const deps = Object.fromEntries((dependencies[name] ?? []).map((dep) => [dep, 'workspace:*']));
      write(`packages/${name}/package.json`, JSON.stringify({ name: `@w/${name}`, dependencies: deps }));
      write(`packages/${name}/src/index.ts`, 'export const here = 1;\n');
    }
    for (const [path, text] of Object.entries(files)) write(path, text);
    return root;
  }

  const problems = (root: string) =>
    checkImportMap({ root, rules, crossProjectFiles: [] }).map((v) => `${v.file}:${v.line} ${v.problem}`);

  it('passes a workspace that keeps the rules', () => {
    const root = workspace(
      {
        'packages/middle/src/use.ts': "import { here } from '@w/base';\nexport { here };\n",
        'packages/top/src/use.ts':
          "import { here } from '@w/middle';\nimport type { x } from './local.js';\n",
      },
      { middle: ['@w/base'], top: ['@w/middle'] },
    );

    expect(problems(root)).toEqual([]);
  });

  it('fails an upward import, naming both layers', () => {
    const root = workspace(
      { 'packages/base/src/up.ts': "\nimport { here } from '@w/top';\nexport { here };\n" },
      { base: ['@w/top'] },
    );

    expect(problems(root)).toEqual([
      'packages/base/src/up.ts:2 @w/base imports @w/top: an import upwards or sideways (@w/top is layer 2, @w/base is layer 0); see docs/contributing.md, "What each package may import"',
      'packages/base/package.json:1 @w/base declares @w/top, which its row in architecture/src/package-rules.ts does not allow',
    ]);
  });

  it('fails an import of a workspace package that package.json does not declare', () => {
    const root = workspace({ 'packages/middle/src/use.ts': "export { here } from '@w/base';\n" }, {});

    expect(problems(root)).toEqual([
      'packages/middle/src/use.ts:1 @w/middle imports @w/base without declaring it in packages/middle/package.json dependencies',
    ]);
  });

  it("fails a deep import into another package's files, by name or by relative path", () => {
    const root = workspace(
      {
        'packages/middle/src/deep.ts': [
          "import { here } from '@w/base/src/index.js';",
          "import { again } from '../../base/src/index.js';",
          'export { here, again };',
          '',
        ].join('\n'),
      },
      { middle: ['@w/base'] },
    );

    expect(problems(root)).toEqual([
      `packages/middle/src/deep.ts:1 imports "@w/base/src/index.js": import @w/base's entry point (@w/base), not a file inside it`,
      'packages/middle/src/deep.ts:2 imports "../../base/src/index.js" (packages/base/src/index.ts), a file outside packages/middle: import the package by name, or list the exception with its reason in architecture/src/package-rules.ts',
    ]);
  });

  it('passes a subpath the package exports (as @pipectl/spec/lite), and names the entry points when one is not', () => {
    const root = workspace(
      {
        'packages/middle/src/use.ts':
          "import { a } from '@w/base/lite';\nimport { b } from '@w/base/other';\nexport { a, b };\n",
      },
      { middle: ['@w/base'] },
    );
    writeFileSync(
      join(root, 'packages/base/package.json'),
      JSON.stringify({ name: '@w/base', exports: { '.': './src/index.ts', './lite': './src/lite.ts' } }),
    );

    expect(problems(root)).toEqual([
      `packages/middle/src/use.ts:2 imports "@w/base/other": import @w/base's entry point (@w/base, @w/base/lite), not a file inside it`,
    ]);
  });

  it('fails a declared workspace dependency that nothing imports, and a project without a row', () => {
    const root = workspace(
      { 'packages/extra/package.json': JSON.stringify({ name: '@w/extra' }) },
      { top: ['@w/base'] },
    );

    expect(problems(root)).toEqual([
      'packages/extra/package.json:1 @w/extra has no row in architecture/src/package-rules.ts: add one (its layer and what it may import, with why)',
      'packages/top/package.json:1 @w/top declares @w/base but imports nothing from it: remove it from package.json',
    ]);
  });
});
