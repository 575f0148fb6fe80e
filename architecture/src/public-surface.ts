// Each package's public surface, against what the rest of the workspace uses of it: the names an
// entry point (src/index.ts, src/lite.ts ...) exports that no other project imports are surface
// nobody needs, and a reader of the package must still treat as API. Read with TypeScript's parser:
// named and namespace imports, re-exports, `import type`, lazy `await import()` with destructuring
// or a namespace (`runtime.startRun`), and `typeof import('…').Name`.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { packageOf, typescriptFiles } from './source-imports.js';
import { REPOSITORY_ROOT, readWorkspace } from './workspace.js';

export interface UnusedExport {
  /** The entry point's import specifier, e.g. `@pipectl/engine` or `@pipectl/spec/lite`. */
  readonly entryPoint: string;
  /** The entry file relative to the repository root. */
  readonly file: string;
  readonly name: string;
}

/** Names each entry point exports, by specifier (`export *` is listed as `*`). */
export function exportedNames(
  root: string = REPOSITORY_ROOT,
): Map<string, { file: string; names: string[] }> {
  const entries = new Map<string, { file: string; names: string[] }>();
  for (const project of readWorkspace(root)) {
    if (!project.dir.startsWith('packages/')) continue;
    for (const entryPoint of project.entryPoints) {
      const sub = entryPoint === project.name ? 'index' : entryPoint.slice(project.name.length + 1);
      const file = join(project.dir, 'src', `${sub}.ts`);
      let text: string;
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        continue;
      }
      entries.set(entryPoint, { file, names: exportsOf(text) });
    }
  }
  return entries;
}

/** The names an entry file exports (`*` for an `export *`). */
function exportsOf(text: string): string[] {
  const source = ts.createSourceFile('index.ts', text, ts.ScriptTarget.Latest, false);
  return source.statements.flatMap((statement) =>
    ts.isExportDeclaration(statement) ? reExportedNames(statement) : declaredExportNames(statement),
  );
}

/** `export { a, b as c } from …` -> a, c; `export * from …` -> `*`. */
function reExportedNames(statement: ts.ExportDeclaration): string[] {
  if (!statement.exportClause) return ['*'];
  if (!ts.isNamedExports(statement.exportClause)) return [];
  return statement.exportClause.elements.map((element) => element.name.text);
}

/** The names a statement declares with `export` (`export const a, b`, `export function f`, …). */
function declaredExportNames(statement: ts.Statement): string[] {
  if (!ts.canHaveModifiers(statement)) return [];
  if (!ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return [];
  if (ts.isVariableStatement(statement))
    return statement.declarationList.declarations.flatMap((declaration) =>
      ts.isIdentifier(declaration.name) ? [declaration.name.text] : [],
    );
  if ('name' in statement && statement.name && ts.isIdentifier(statement.name as ts.Node))
    return [(statement.name as ts.Identifier).text];
  return [];
}

/** For every entry specifier, the names other projects' files use from it. */
export function usedNames(root: string = REPOSITORY_ROOT): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  const note = (specifier: string, name: string) => {
    const set = used.get(specifier) ?? new Set<string>();
    set.add(name);
    used.set(specifier, set);
  };
  const workspace = readWorkspace(root);
  const packages = new Set(workspace.map((project) => project.name));
  for (const project of workspace) {
    const foreign = (specifier: string) => {
      const target = packageOf(specifier);
      return target !== undefined && packages.has(target) && target !== project.name;
    };
    for (const file of typescriptFiles(join(root, project.dir))) {
      const text = readFileSync(file, 'utf8');
      const source = ts.createSourceFile(relative(root, file), text, ts.ScriptTarget.Latest, true);
      const scope: UseScope = { foreign, note, namespaces: new Map() };
      // Namespaces first (a use may come before its declaration in the walk), then everything.
      visitUses(source, scope);
      if (scope.namespaces.size > 0) visitUses(source, scope);
    }
  }
  return used;
}

/** One file's walk: which specifiers are other projects', where uses go, and the file's namespaces. */
interface UseScope {
  /** Whether a specifier names another workspace project (or an entry point of one). */
  readonly foreign: (specifier: string) => boolean;
  readonly note: (specifier: string, name: string) => void;
  /** Local names bound to a whole foreign module (`import * as x`, `const x = await import()`). */
  readonly namespaces: Map<string, string>;
}

/** Notes the foreign names a node and everything under it use. */
function visitUses(node: ts.Node, scope: UseScope): void {
  noteUse(node, scope);
  ts.forEachChild(node, (child) => visitUses(child, scope));
}

/** Notes what one node uses: an import, a re-export, a lazy import, an import type, a namespace member. */
function noteUse(node: ts.Node, scope: UseScope): void {
  if (ts.isImportDeclaration(node)) noteImport(node, scope);
  else if (ts.isExportDeclaration(node)) noteReExport(node, scope);
  else if (ts.isCallExpression(node)) noteDynamicImport(node, scope);
  else if (ts.isImportTypeNode(node)) noteImportType(node, scope);
  else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression))
    noteMember(node.expression.text, node.name.text, scope);
  else if (ts.isQualifiedName(node) && ts.isIdentifier(node.left))
    noteMember(node.left.text, node.right.text, scope);
}

/** `import { a } from 'x'` notes a; `import * as x from 'x'` records the namespace. */
function noteImport(node: ts.ImportDeclaration, scope: UseScope): void {
  if (!ts.isStringLiteral(node.moduleSpecifier)) return;
  const specifier = node.moduleSpecifier.text;
  const bindings = node.importClause?.namedBindings;
  if (!scope.foreign(specifier) || !bindings) return;
  if (ts.isNamedImports(bindings))
    for (const element of bindings.elements)
      scope.note(specifier, (element.propertyName ?? element.name).text);
  else scope.namespaces.set(bindings.name.text, specifier);
}

/** `export { a } from 'x'` notes a. */
function noteReExport(node: ts.ExportDeclaration, scope: UseScope): void {
  const specifier =
    node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
  if (specifier === undefined || !scope.foreign(specifier)) return;
  if (!node.exportClause || !ts.isNamedExports(node.exportClause)) return;
  for (const element of node.exportClause.elements)
    scope.note(specifier, (element.propertyName ?? element.name).text);
}

/** `typeof import('x').Name` (or `import('x').ns.Name`) notes Name (or ns). */
function noteImportType(node: ts.ImportTypeNode, scope: UseScope): void {
  if (!ts.isLiteralTypeNode(node.argument) || !ts.isStringLiteral(node.argument.literal)) return;
  const specifier = node.argument.literal.text;
  if (!scope.foreign(specifier) || !node.qualifier) return;
  scope.note(
    specifier,
    ts.isIdentifier(node.qualifier) ? node.qualifier.text : node.qualifier.left.getText(),
  );
}

/** `ns.name` where ns is a foreign namespace notes name. */
function noteMember(namespace: string, name: string, scope: UseScope): void {
  const specifier = scope.namespaces.get(namespace);
  if (specifier) scope.note(specifier, name);
}

/**
 * A lazy `import('x')`: destructured names are noted, a variable holding it becomes a namespace,
 * `(await import('x')).name` notes name; anything else may use everything (`*`).
 */
function noteDynamicImport(call: ts.CallExpression, scope: UseScope): void {
  const argument = call.arguments[0];
  if (call.expression.kind !== ts.SyntaxKind.ImportKeyword || !argument || !ts.isStringLiteral(argument))
    return;
  const specifier = argument.text;
  if (!scope.foreign(specifier)) return;
  let outer: ts.Node = call.parent;
  if (ts.isAwaitExpression(outer)) outer = outer.parent;
  while (ts.isParenthesizedExpression(outer)) outer = outer.parent;
  if (ts.isVariableDeclaration(outer)) noteImportedBinding(outer, specifier, scope);
  else if (ts.isPropertyAccessExpression(outer)) scope.note(specifier, outer.name.text);
  // `import('x').then(...)` or passed along: everything may be used.
  else scope.note(specifier, '*');
}

/** `const { a, b: c } = await import('x')` notes a and b; `const x = await import('x')` records a namespace. */
function noteImportedBinding(declaration: ts.VariableDeclaration, specifier: string, scope: UseScope): void {
  if (ts.isObjectBindingPattern(declaration.name)) {
    for (const element of declaration.name.elements) {
      const key = element.propertyName ?? element.name;
      if (ts.isIdentifier(key)) scope.note(specifier, key.text);
    }
  } else if (ts.isIdentifier(declaration.name)) scope.namespaces.set(declaration.name.text, specifier);
}

/** Exported names no other project uses, entry point by entry point. */
export function unusedExports(root: string = REPOSITORY_ROOT): UnusedExport[] {
  const used = usedNames(root);
  const unused: UnusedExport[] = [];
  for (const [entryPoint, { file, names }] of exportedNames(root)) {
    const uses = used.get(entryPoint) ?? new Set<string>();
    if (uses.has('*')) continue;
    for (const name of names) if (name !== '*' && !uses.has(name)) unused.push({ entryPoint, file, name });
  }
  return unused;
}
