// Lists the contract and pipeline files under a folder, recursively, in a stable order. The only
// place that walks the file system; dot-folders and node_modules are skipped.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const DOCUMENT_FILE = /\.(contract|pipeline)\.ya?ml$/;

/** Absolute paths of `*.contract.yaml` / `*.pipeline.yaml` (or `.yml`) files under `dir`, sorted. */
export async function findDocumentFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        if (entry.name.startsWith('.') || entry.name === 'node_modules') return;
        const path = join(current, entry.name);
        if (entry.isDirectory()) await walk(path);
        // Symlinked files count too; one that points nowhere is reported when it is read.
        else if ((entry.isFile() || entry.isSymbolicLink()) && DOCUMENT_FILE.test(entry.name))
          found.push(path);
      }),
    );
  };
  await walk(dir);
  return found.sort();
}
