// Every contract file the repository ships: its own project (contracts/) and examples/*.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export function shippedContractFiles(): string[] {
  const roots = [join(repoRoot, 'contracts'), join(repoRoot, 'examples')];
  return roots.flatMap((root) => walk(root)).filter((file) => file.endsWith('.contract.yaml')).sort();
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : walk(path);
    return [path];
  });
}
