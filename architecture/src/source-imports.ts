// The module specifiers a TypeScript file imports (static, `import type`, re-exports, dynamic
// `import()`), read with TypeScript's own pre-processor rather than a regular expression.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface SourceImport {
  /** File relative to the repository root. */
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
}

/** Every `.ts` file under `dir` (absolute), skipping `node_modules`, build output and fixtures. */
export function typescriptFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(join(current, entry.name));
      } else if (entry.name.endsWith('.ts')) {
        files.push(join(current, entry.name));
      }
    }
  };
  try {
    walk(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return files.sort();
}

const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.out', 'fixtures']);

/** The imports of one file; `root` makes the reported path relative. */
export function importsOf(absoluteFile: string, root: string): SourceImport[] {
  const text = readFileSync(absoluteFile, 'utf8');
  const file = relative(root, absoluteFile);
  return ts.preProcessFile(text, true, true).importedFiles.map((reference) => ({
    file,
    line: lineAt(text, reference.pos),
    specifier: reference.fileName,
  }));
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** `@pipectl/engine/src/x.js` → `@pipectl/engine`; `yaml` → `yaml`; relative → undefined. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
