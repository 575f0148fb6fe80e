// A second process that holds a DuckDB file open read-only, as a forgotten `duckdb -readonly`
// shell would: the real lock, from a real other PID. Run from the engine package, which has DuckDB.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const engineDir = fileURLToPath(new URL('../../../engine/', import.meta.url));
const HOLD = `
import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(process.argv[1], { access_mode: 'READ_ONLY' });
await instance.connect();
process.stdout.write('held\\n');
setInterval(() => {}, 60_000);
`;

/** Resolves once the other process holds `file`; kill the returned child to let go. */
export async function holdWarehouse(file: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', HOLD, file], {
    cwd: engineDir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('held')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`the holding process exited (${code}) before holding ${file}`)),
    );
  });
  return child;
}
