// The per-package import map check: every import of every workspace project, against its
// package.json and the layering table (package-rules.ts). Returns violations as data; the test
// prints them.
import { dirname, join, relative, resolve, sep } from 'node:path';
import { CROSS_PROJECT_FILES, PACKAGE_RULES, type PackageRule } from './package-rules.js';
import { matchesPattern } from './path-pattern.js';
import { importsOf, packageOf, type SourceImport, typescriptFiles } from './source-imports.js';
import { REPOSITORY_ROOT, readWorkspace, type WorkspaceProject } from './workspace.js';

export interface Violation {
  /** File relative to the repository root (a package.json for declaration problems). */
  readonly file: string;
  readonly line: number;
  readonly problem: string;
}

export interface ImportMapOptions {
  readonly root?: string;
  readonly rules?: readonly PackageRule[];
  readonly crossProjectFiles?: typeof CROSS_PROJECT_FILES;
}

/** Every way the workspace's imports and package.json files disagree with the rule table. */
export function checkImportMap(options: ImportMapOptions = {}): Violation[] {
  const root = options.root ?? REPOSITORY_ROOT;
  const rules = options.rules ?? PACKAGE_RULES;
  const crossProjectFiles = options.crossProjectFiles ?? CROSS_PROJECT_FILES;
  const workspace = readWorkspace(root);
  const names = new Set(workspace.map((project) => project.name));
  const projectOf = new Map(workspace.map((project) => [project.name, project]));
  const ruleOf = new Map(rules.map((rule) => [rule.name, rule]));
  const violations: Violation[] = [...checkRuleTable(rules)];

  const scope: ImportScope = { root, names, projectOf, ruleOf, crossProjectFiles };
  for (const project of workspace) {
    const rule = ruleOf.get(project.name);
    if (!rule) {
      violations.push({
        file: `${project.dir}/package.json`,
        line: 1,
        problem: `${project.name} has no row in architecture/src/package-rules.ts: add one (its layer and what it may import, with why)`,
      });
      continue;
    }
    const { problems, used } = importProblems(project, rule, scope);
    violations.push(...problems, ...declarationProblems(project, rule, names, used));
  }
  return violations;
}

/** The workspace as the import checks of one project see it. */
interface ImportScope {
  readonly root: string;
  /** Every workspace project's package name. */
  readonly names: ReadonlySet<string>;
  readonly projectOf: ReadonlyMap<string, WorkspaceProject>;
  readonly ruleOf: ReadonlyMap<string, PackageRule>;
  readonly crossProjectFiles: typeof CROSS_PROJECT_FILES;
}

/** The problems of a project's imports, and the workspace packages it imports from. */
function importProblems(
  project: WorkspaceProject,
  rule: PackageRule,
  scope: ImportScope,
): { problems: Violation[]; used: Set<string> } {
  const { root } = scope;
  const problems: Violation[] = [];
  const used = new Set<string>();
  const imports = typescriptFiles(join(root, project.dir)).flatMap((file) => importsOf(file, root));
  for (const found of imports) {
    const target = packageOf(found.specifier);
    if (target === undefined) {
      const problem = relativeImportProblem(root, project, found, scope.crossProjectFiles);
      if (problem) problems.push({ file: found.file, line: found.line, problem });
    } else if (scope.names.has(target)) {
      used.add(target);
      problems.push(...workspaceImportProblems(project, rule, scope.ruleOf, scope.projectOf, found, target));
    }
  }
  return { problems, used };
}

/** Workspace packages a project's package.json declares that its row forbids, or that it never imports. */
function declarationProblems(
  project: WorkspaceProject,
  rule: PackageRule,
  names: ReadonlySet<string>,
  used: ReadonlySet<string>,
): Violation[] {
  const manifest = `${project.dir}/package.json`;
  const declared = [...project.dependencies, ...project.devDependencies].filter((name) => names.has(name));
  return declared.flatMap((name): Violation[] => {
    if (!(name in rule.mayImport))
      return [
        {
          file: manifest,
          line: 1,
          problem: `${project.name} declares ${name}, which its row in architecture/src/package-rules.ts does not allow`,
        },
      ];
    if (!used.has(name))
      return [
        {
          file: manifest,
          line: 1,
          problem: `${project.name} declares ${name} but imports nothing from it: remove it from package.json`,
        },
      ];
    return [];
  });
}

/** The table itself: every allowed import points to a lower layer and a known package. */
export function checkRuleTable(rules: readonly PackageRule[]): Violation[] {
  const layerOf = new Map(rules.map((rule) => [rule.name, rule.layer]));
  const file = 'architecture/src/package-rules.ts';
  return rules.flatMap((rule) =>
    Object.keys(rule.mayImport).flatMap((target): Violation[] => {
      const layer = layerOf.get(target);
      if (layer === undefined)
        return [{ file, line: 1, problem: `${rule.name} may import ${target}, which has no row` }];
      if (layer >= rule.layer) {
        return [
          {
            file,
            line: 1,
            problem: `${rule.name} (layer ${rule.layer}) may import ${target} (layer ${layer}): imports must point to a lower layer`,
          },
        ];
      }
      return [];
    }),
  );
}

function workspaceImportProblems(
  project: WorkspaceProject,
  rule: PackageRule,
  ruleOf: ReadonlyMap<string, PackageRule>,
  projectOf: ReadonlyMap<string, WorkspaceProject>,
  found: SourceImport,
  target: string,
): Violation[] {
  const at = { file: found.file, line: found.line };
  if (target === project.name) return [];
  const problems: Violation[] = [];
  const entryPoints = projectOf.get(target)?.entryPoints ?? [target];
  if (!entryPoints.includes(found.specifier)) {
    problems.push({
      ...at,
      problem: `imports "${found.specifier}": import ${target}'s entry point (${entryPoints.join(', ')}), not a file inside it`,
    });
  }
  if (!(target in rule.mayImport)) {
    const targetLayer = ruleOf.get(target)?.layer;
    const direction =
      targetLayer !== undefined && targetLayer >= rule.layer
        ? `an import upwards or sideways (${target} is layer ${targetLayer}, ${project.name} is layer ${rule.layer})`
        : 'an edge the table does not have';
    problems.push({
      ...at,
      problem: `${project.name} imports ${target}: ${direction}; see docs/contributing.md, "What each package may import"`,
    });
  }
  const inSource = found.file.startsWith(`${project.dir}/src/`);
  const declared = inSource ? project.dependencies : [...project.dependencies, ...project.devDependencies];
  if (!declared.includes(target)) {
    problems.push({
      ...at,
      problem: `${project.name} imports ${target} without declaring it in ${project.dir}/package.json ${inSource ? 'dependencies' : '(dev)dependencies'}`,
    });
  }
  return problems;
}

function relativeImportProblem(
  root: string,
  project: WorkspaceProject,
  found: SourceImport,
  crossProjectFiles: typeof CROSS_PROJECT_FILES,
): string | undefined {
  const target = relative(root, resolve(root, dirname(found.file), found.specifier))
    .split(sep)
    .join('/');
  if (target === project.dir || target.startsWith(`${project.dir}/`)) return undefined;
  const asSource = target.replace(/\.js$/, '.ts');
  const allowed = crossProjectFiles.some(
    (entry) => matchesPattern(found.file, entry.from) && matchesPattern(asSource, entry.to),
  );
  if (allowed) return undefined;
  return `imports "${found.specifier}" (${asSource}), a file outside ${project.dir}: import the package by name, or list the exception with its reason in architecture/src/package-rules.ts`;
}
