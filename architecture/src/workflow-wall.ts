// The import wall around workflow code (packages/runtime/src/workflows/**). Temporal runs workflow
// code in a deterministic sandbox without Node's modules, so the wall denies every Node builtin
// (from `builtinModules`, bare and `node:` forms), the external packages that do I/O, and every
// workspace package that does I/O itself or through what it depends on. Biome enforces it from
// biome.json, whose override `npm run generate` writes from here.
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { importsOf, packageOf, typescriptFiles } from './source-imports.js';
import { REPOSITORY_ROOT, readWorkspace, type WorkspaceProject } from './workspace.js';

/** The folder the wall surrounds, as biome's override names it. */
export const WORKFLOW_FILES = 'packages/runtime/src/workflows/**';

/** External packages that reach outside the process (or need Node's runtime), with what they reach. */
export const IO_PACKAGES: Readonly<Record<string, string>> = {
  '@duckdb/node-api': 'runs DuckDB, a native database',
  pg: 'talks to PostgreSQL over the network',
  'pg-cursor': 'talks to PostgreSQL over the network',
  '@temporalio/activity': 'belongs to activities, which do the I/O',
  '@temporalio/client': 'opens a gRPC connection to Temporal',
  '@temporalio/worker': 'is the worker: native code, files, network',
  '@temporalio/testing': 'starts Temporal servers',
  'playwright-core': 'drives a browser',
};

export interface DeniedPackage {
  readonly name: string;
  /** Why it does I/O, e.g. "depends on @duckdb/node-api (runs DuckDB, a native database)". */
  readonly reason: string;
}

export interface WorkflowWall {
  /** Node builtins, bare (`timers`, `fs/promises`); their `node:` forms are denied by a pattern. */
  readonly builtins: readonly string[];
  /** External I/O packages, then the workspace packages that do I/O. */
  readonly packages: readonly DeniedPackage[];
}

/** The wall as computed from this Node and the workspace's package.json files and sources. */
export function computeWorkflowWall(root: string = REPOSITORY_ROOT): WorkflowWall {
  const builtins = builtinModules.filter((name) => !name.startsWith('node:')).sort();
  const external = Object.entries(IO_PACKAGES).map(([name, reason]) => ({ name, reason }));
  return { builtins, packages: [...external, ...workspaceIoPackages(readWorkspace(root), root)] };
}

/**
 * Workspace packages that do I/O: their sources import a Node builtin, or they depend on an
 * external I/O package, or on a workspace package that does I/O (so bundling them would pull it in).
 */
export function workspaceIoPackages(workspace: readonly WorkspaceProject[], root: string): DeniedPackage[] {
  const builtins = new Set(builtinModules);
  const reasons = new Map<string, string>();
  for (const project of workspace) {
    const dependencies = projectDependencies(project, root);
    const ioDependency = dependencies.find((name) => name in IO_PACKAGES);
    if (ioDependency) {
      reasons.set(project.name, `depends on ${ioDependency}, which ${IO_PACKAGES[ioDependency]}`);
      continue;
    }
    const builtin = typescriptFiles(codeFolder(project, root))
      .flatMap((file) => importsOf(file, root))
      .map((found) => found.specifier)
      .find((specifier) => specifier.startsWith('node:') || builtins.has(packageOf(specifier) ?? ''));
    if (builtin) reasons.set(project.name, `imports the Node builtin ${builtin}`);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const project of workspace) {
      if (reasons.has(project.name)) continue;
      const through = projectDependencies(project, root).find((name) => reasons.has(name));
      if (through) {
        reasons.set(project.name, `depends on ${through}, which does I/O`);
        changed = true;
      }
    }
  }
  return workspace
    .filter((project) => reasons.has(project.name))
    .map((project) => ({ name: project.name, reason: reasons.get(project.name) as string }));
}

/** A library's code is its `src/`; a project without one (bench, e2e) is all code. */
function codeFolder(project: WorkspaceProject, root: string): string {
  const source = join(root, project.dir, 'src');
  return existsSync(source) ? source : join(root, project.dir);
}

/** What its code may load: a library's dependencies; for a project without `src/`, its devDependencies too. */
function projectDependencies(project: WorkspaceProject, root: string): readonly string[] {
  return existsSync(join(root, project.dir, 'src'))
    ? project.dependencies
    : [...project.dependencies, ...project.devDependencies];
}

const SANDBOX = "workflow code runs in Temporal's deterministic sandbox";
export const BUILTIN_MESSAGE =
  'A Node builtin: not in the workflow sandbox. Do I/O in an activity (docs/contributing.md).';
const packageMessage = (entry: DeniedPackage) =>
  `${entry.name} ${entry.reason}: ${SANDBOX}. Call an activity instead (docs/contributing.md).`;

/** Biome's `overrides` entry that enforces the wall (written into biome.json by `npm run generate`). */
export function biomeWallOverride(wall: WorkflowWall) {
  const paths: Record<string, string> = {};
  for (const name of wall.builtins) paths[name] = BUILTIN_MESSAGE;
  for (const entry of wall.packages) paths[entry.name] = packageMessage(entry);
  return {
    includes: [WORKFLOW_FILES],
    linter: {
      rules: {
        style: {
          noRestrictedImports: {
            level: 'error',
            options: {
              paths,
              patterns: [
                { group: ['node:*', 'node:*/**'], message: BUILTIN_MESSAGE },
                {
                  group: wall.packages.map((entry) => `${entry.name}/**`),
                  message: `A file inside a package that does I/O: ${SANDBOX}. Call an activity instead (docs/contributing.md).`,
                },
              ],
            },
          },
        },
      },
    },
  };
}

/** Whether a module specifier is behind the wall. */
export function isDenied(wall: WorkflowWall, specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  if (wall.builtins.includes(specifier)) return true;
  const name = packageOf(specifier);
  return wall.packages.some((entry) => entry.name === name);
}
