// Each package's public surface against what the rest of the workspace uses of it. A package
// exports what another project imports; what nobody imports is surface a reader must still treat
// as API. The repository is held to a baseline that may only shrink (issue 17: the engine exported
// 130 names, 73 used by nothing outside it), and every import form is proved on a scratch workspace.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportedNames, unusedExports } from '../src/public-surface.js';

/**
 * Names each entry point exports that no other project uses, as counted on 2026-12-03. Narrowing
 * lowers a number here (the test says when it can); a new entry point starts at zero.
 */
const UNUSED_BASELINE: Record<string, number> = {
  '@pipectl/catalog-site': 1,
  '@pipectl/check': 0,
  '@pipectl/compat': 0,
  '@pipectl/compiler': 0,
  '@pipectl/engine': 0,
  '@pipectl/interop': 0,
  // The library façade: its error classes and option types are for programs that embed pipectl.
  '@pipectl/project': 3,
  '@pipectl/runtime': 0,
  '@pipectl/spec': 0,
  '@pipectl/spec/lite': 0,
};

describe('the repository', () => {
  it('exports exactly as many unused names as the baseline says, entry point by entry point (it only shrinks)', () => {
    const unused = unusedExports();
    const over: string[] = [];
    for (const [entryPoint] of exportedNames()) {
      const names = unused.filter((u) => u.entryPoint === entryPoint).map((u) => u.name);
      const allowed = UNUSED_BASELINE[entryPoint] ?? 0;
      if (names.length > allowed)
        over.push(
          `${entryPoint} exports ${names.length} names no other project imports (baseline ${allowed}): ` +
            `stop exporting what only the package itself uses, among: ${names.join(', ')}`,
        );
      // The ratchet only tightens: a narrowed surface lowers its baseline in the same change.
      if (names.length < allowed)
        over.push(
          `${entryPoint} has ${names.length} unused exports now: lower its UNUSED_BASELINE to ${names.length}`,
        );
    }
    expect(over).toEqual([]);
  });
});

describe('reading what a workspace uses', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  function workspace(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'pipectl-surface-'));
    roots.push(root);
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n');
    for (const name of ['lib', 'app'])
      write(`packages/${name}/package.json`, JSON.stringify({ name: `@w/${name}` }));
    for (const [path, text] of Object.entries(files)) write(path, text);
    return root;
  }

  it('counts named, type, namespace, re-exported, lazy and typeof imports as uses, and its own files not', () => {
    const names = [
      'named',
      'typed',
      'spaced',
      'reexported',
      'lazy',
      'lazyNs',
      'awaited',
      'typeofed',
      'ownOnly',
    ];
    const root = workspace({
      'packages/lib/src/index.ts': names.map((n) => `export const ${n} = 1;\n`).join(''),
      'packages/lib/src/self.ts': "import { ownOnly } from '@w/lib';\nexport const x = ownOnly;\n",
      'packages/app/src/a.ts': [
        "import { named } from '@w/lib';",
        "import type { typed } from '@w/lib';",
        "import * as lib from '@w/lib';",
        "export { reexported } from '@w/lib';",
        'export async function f() {',
        "  const { lazy } = await import('@w/lib');",
        "  const ns = await import('@w/lib');",
        "  const one = (await import('@w/lib')).awaited;",
        "  type T = typeof import('@w/lib').typeofed;",
        '  return [named, lib.spaced, lazy, ns.lazyNs, one] as const;',
        '}',
        'export type U = typed;',
      ].join('\n'),
    });

    expect(unusedExports(root).map((u) => u.name)).toEqual(['ownOnly']);
  });
});
