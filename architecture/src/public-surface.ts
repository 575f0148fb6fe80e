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

function exportsOf(text: string): string[] {
  const source = ts.createSourceFile('index.ts', text, ts.ScriptTarget.Latest, false);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      if (!statement.exportClause) names.push('*');
      else if (ts.isNamedExports(statement.exportClause))
        names.push(...statement.exportClause.elements.map((element) => element.name.text));
    } else if (
      ts.canHaveModifiers(statement) &&
      ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    ) {
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations)
          if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
      } else if ('name' in statement && statement.name && ts.isIdentifier(statement.name as ts.Node)) {
        names.push((statement.name as ts.Identifier).text);
      }
    }
  }
  return names;
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
    for (const file of typescriptFiles(join(root, project.dir))) {
      const text = readFileSync(file, 'utf8');
      const source = ts.createSourceFile(relative(root, file), text, ts.ScriptTarget.Latest, true);
      const namespaces = new Map<string, string>();
      const foreign = (specifier: string) => {
        const target = packageOf(specifier);
        return target !== undefined && packages.has(target) && target !== project.name;
      };
      const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
          const specifier = node.moduleSpecifier.text;
          const bindings = node.importClause?.namedBindings;
          if (foreign(specifier) && bindings) {
            if (ts.isNamedImports(bindings))
              for (const element of bindings.elements)
                note(specifier, (element.propertyName ?? element.name).text);
            else namespaces.set(bindings.name.text, specifier);
          }
        } else if (
          ts.isExportDeclaration(node) &&
          node.moduleSpecifier &&
          ts.isStringLiteral(node.moduleSpecifier) &&
          foreign(node.moduleSpecifier.text) &&
          node.exportClause &&
          ts.isNamedExports(node.exportClause)
        ) {
          for (const element of node.exportClause.elements)
            note(node.moduleSpecifier.text, (element.propertyName ?? element.name).text);
        } else if (
          ts.isCallExpression(node) &&
          node.expression.kind === ts.SyntaxKind.ImportKeyword &&
          node.arguments[0] &&
          ts.isStringLiteral(node.arguments[0]) &&
          foreign(node.arguments[0].text)
        ) {
          dynamicImport(node, node.arguments[0].text);
        } else if (
          ts.isImportTypeNode(node) &&
          ts.isLiteralTypeNode(node.argument) &&
          ts.isStringLiteral(node.argument.literal) &&
          foreign(node.argument.literal.text) &&
          node.qualifier
        ) {
          note(
            node.argument.literal.text,
            ts.isIdentifier(node.qualifier) ? node.qualifier.text : node.qualifier.left.getText(),
          );
        } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
          const specifier = namespaces.get(node.expression.text);
          if (specifier) note(specifier, node.name.text);
        } else if (ts.isQualifiedName(node) && ts.isIdentifier(node.left)) {
          const specifier = namespaces.get(node.left.text);
          if (specifier) note(specifier, node.right.text);
        }
        ts.forEachChild(node, visit);
      };
      const dynamicImport = (call: ts.CallExpression, specifier: string) => {
        let outer: ts.Node = call.parent;
        if (ts.isAwaitExpression(outer)) outer = outer.parent;
        while (ts.isParenthesizedExpression(outer)) outer = outer.parent;
        if (ts.isVariableDeclaration(outer)) {
          if (ts.isObjectBindingPattern(outer.name)) {
            for (const element of outer.name.elements) {
              const key = element.propertyName ?? element.name;
              if (ts.isIdentifier(key)) note(specifier, key.text);
            }
          } else if (ts.isIdentifier(outer.name)) namespaces.set(outer.name.text, specifier);
        } else if (ts.isPropertyAccessExpression(outer)) {
          note(specifier, outer.name.text);
        } else {
          // `import('x').then(...)` or passed along: everything may be used.
          note(specifier, '*');
        }
      };
      // Namespaces first (a use may come before its declaration in the walk), then everything.
      visit(source);
      if (namespaces.size > 0) visit(source);
    }
  }
  return used;
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
