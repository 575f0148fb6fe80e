// The Python peers that judge our output (datacontract-cli, the ODCS pydantic model, dbt-duckdb,
// openlineage-python), from the git-ignored virtual environment scripts/install-python-tools.sh
// makes. Called by path, never from the PATH. Tests that need them skip, saying why, when the
// environment is absent; with PIPECTL_REQUIRE_PYTHON_TOOLS set (CI), they fail instead.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

export const PYTHON_TOOLS_DIR = process.env.PIPECTL_PYTHON_TOOLS ?? join(repoRoot, '.tools', 'python');
const stamp = join(PYTHON_TOOLS_DIR, '.requirements.sha256');
export const pythonBin = (name: string): string => join(PYTHON_TOOLS_DIR, 'bin', name);

/** Present once the installer finished (it writes its stamp last). */
export const pythonToolsPresent = existsSync(stamp) && existsSync(pythonBin('python'));
export const pythonToolsRequired = (process.env.PIPECTL_REQUIRE_PYTHON_TOOLS ?? '') !== '';

/** Why the judged tests skip, or undefined when they run. Throws when they must run but cannot. */
export function pythonToolsSkipReason(): string | undefined {
  if (pythonToolsPresent) return undefined;
  const why = `no Python tools in ${PYTHON_TOOLS_DIR} (run: bash scripts/install-python-tools.sh)`;
  if (pythonToolsRequired) throw new Error(`PIPECTL_REQUIRE_PYTHON_TOOLS is set but there are ${why}`);
  // biome-ignore lint/suspicious/noConsole: a skipped judged test says why, in the test output
  console.warn(`skipping the tests judged by the Python peers: ${why}`);
  return why;
}

export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program of the environment; resolves with its exit code and output (never rejects on exit code). */
export function runPythonTool(name: string, args: readonly string[], cwd?: string): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    execFile(
      pythonBin(name),
      [...args],
      {
        cwd,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, DO_NOT_TRACK: '1', DBT_SEND_ANONYMOUS_USAGE_STATS: 'false' },
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}
