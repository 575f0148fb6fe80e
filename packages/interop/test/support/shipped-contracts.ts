// Every contract file the repository ships: its own project (contracts/) and examples/*; and
// this package's fixture that holds every field a contract can have.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export const EVERYTHING_CONTRACT = fileURLToPath(
  new URL('../fixtures/pipectl/everything.contract.yaml', import.meta.url),
);

export function shippedContractFiles(): string[] {
  const roots = [join(repoRoot, 'contracts'), join(repoRoot, 'examples')];
  const shipped = roots.flatMap((root) => walk(root)).filter((file) => file.endsWith('.contract.yaml'));
  return [...shipped.sort(), EVERYTHING_CONTRACT];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : walk(path);
    return [path];
  });
}
