// docs/contributing.md: its package map and workflow wall are what the rules enforce, the files
// its recipes name exist, and the README and the architecture page link to it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTRIBUTING_DOC,
  packageMapMarkdown,
  readGenerated,
  workflowWallMarkdown,
} from '../src/generated-docs.js';
import { computeWorkflowWall } from '../src/workflow-wall.js';
import { REPOSITORY_ROOT, readWorkspace } from '../src/workspace.js';

const read = (file: string) => readFileSync(join(REPOSITORY_ROOT, file), 'utf8');
const guide = read(CONTRIBUTING_DOC);

describe('docs/contributing.md', () => {
  it('prints the package map the import-map test enforces (run `npm run generate` if not)', () => {
    expect(readGenerated(guide, 'package-map')).toBe(packageMapMarkdown(readWorkspace()));
  });

  it('lists the workflow wall biome enforces (run `npm run generate` if not)', () => {
    expect(readGenerated(guide, 'workflow-wall')).toBe(workflowWallMarkdown(computeWorkflowWall()));
  });

  it('names only files and folders that exist', () => {
    const named = [...guide.matchAll(/`([^`\s]+)`/g)]
      .map((match) => (match[1] as string).replace(/[.,:;]+$/, ''))
      .filter((path) => /^(packages|apps|architecture|bench|scripts|docs|test-support)\//.test(path))
      .filter((path) => !/[<…*]/.test(path));
    const missing = [...new Set(named)].filter((path) => !existsSync(join(REPOSITORY_ROOT, path)));

    expect(named.length).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });

  it.each(['README.md', 'docs/architecture.md'])('is linked from %s', (file) => {
    expect(read(file)).toMatch(/\]\((docs\/)?contributing\.md\)/);
  });
});

describe('docs/architecture.md', () => {
  it("draws the project graph of the workspace's package.json files", () => {
    const mermaid = /```mermaid\nflowchart LR\n([\s\S]*?)```/.exec(read('docs/architecture.md'))?.[1] ?? '';
    const nameOf = (node: string) => `@pipectl/${{ catalog: 'catalog-site' }[node] ?? node}`;
    const drawn = mermaid.split('\n').flatMap((line) => {
      const [from, targets] = line.replace(/\[[^\]]*\]/g, '').split('-->');
      if (!from || !targets) return [];
      return targets.split('&').map((to) => `${nameOf(from.trim())} -> ${nameOf(to.trim())}`);
    });
    const workspace = readWorkspace();
    const names = new Set(workspace.map((project) => project.name));
    const declared = workspace.flatMap((project) =>
      [...project.dependencies, ...project.devDependencies]
        .filter((name) => names.has(name))
        .map((name) => `${project.name} -> ${name}`),
    );

    expect(drawn.sort()).toEqual(declared.sort());
  });
});
