// Runs one measuring script of the orchestration benchmark in a fresh `node --conditions=@pipectl/source --import tsx` process:
// its progress lines (stderr lines starting with PROGRESS) are echoed as they come, everything
// else on stderr (the SDK's own logging) is kept and shown only when the process fails. Resolves
// with the JSON of its last stdout line.
import { spawn } from 'node:child_process';

export const PROGRESS = '» ';

/** Writes a progress line for the parent to echo. */
export function progress(line: string): void {
  process.stderr.write(`${PROGRESS}${line}\n`);
}

/** `env` adds to (and overrides) this process's environment for the child. */
export function runChild<T>(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@pipectl/source', '--import', 'tsx', script, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(PROGRESS)) console.log(`  ${line.slice(PROGRESS.length)}`);
        else stderr += `${line}\n`;
      }
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolve(JSON.parse(last) as T);
        return;
      }
      reject(
        new Error(
          `${script} exited with code ${code}\n${(stderr + partial).slice(-8000)}\n${stdout.slice(-2000)}`,
        ),
      );
    });
  });
}
