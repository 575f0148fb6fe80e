// The Python peers' virtual environment (scripts/install-python-tools.sh), found by path only.
// Tests that need it skip, saying why, when it is absent; with PIPECTL_REQUIRE_PYTHON_TOOLS set (CI)
// they fail instead. (packages/interop/test/support/python-tools.ts is the fuller twin.)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const PYTHON_TOOLS_DIR = process.env.PIPECTL_PYTHON_TOOLS ?? join(repoRoot, '.tools', 'python');
export const pythonBin = (name: string): string => join(PYTHON_TOOLS_DIR, 'bin', name);

export function pythonToolsSkipReason(): string | undefined {
  if (existsSync(join(PYTHON_TOOLS_DIR, '.requirements.sha256')) && existsSync(pythonBin('python')))
    return undefined;
  const why = `no Python tools in ${PYTHON_TOOLS_DIR} (run: bash scripts/install-python-tools.sh)`;
  if ((process.env.PIPECTL_REQUIRE_PYTHON_TOOLS ?? '') !== '')
    throw new Error(`PIPECTL_REQUIRE_PYTHON_TOOLS is set but there are ${why}`);
  console.warn(`skipping the tests judged by the Python peers: ${why}`);
  return why;
}
