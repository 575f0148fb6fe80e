// Locates the Temporal dev-server binary (the `temporal` CLI) that scripts/install-temporal.sh
// builds into <repo root>/.tools/bin. Nothing is ever downloaded at run time.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRepoRoot } from './repo-root.js';

/** Environment variable that overrides where the dev-server binary is. */
export const TEMPORAL_BIN_ENV = 'PIPECTL_TEMPORAL_BIN';

/** The command that builds the dev server, quoted in every "not found" message. */
export const INSTALL_TEMPORAL_COMMAND = 'bash scripts/install-temporal.sh';

export interface FindTemporalBinaryOptions {
  /** Environment to read PIPECTL_TEMPORAL_BIN from; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Directory to start looking for the repo root from; defaults to process.cwd(), then this module's folder. */
  cwd?: string;
}

/** Thrown when no runnable dev-server binary can be found. */
export class TemporalBinaryNotFoundError extends Error {
  readonly code = 'PIPE6001';
  override readonly name = 'TemporalBinaryNotFoundError';
  /** Paths that were considered, in order (may be empty when no repo root was found). */
  readonly searched: readonly string[];

  constructor(reason: string, searched: readonly string[]) {
    super(
      `${reason} Build the Temporal dev server with \`${INSTALL_TEMPORAL_COMMAND}\` from the repo root, ` +
        `or set ${TEMPORAL_BIN_ENV} to the path of an existing \`temporal\` binary.`,
    );
    this.searched = searched;
  }
}

/** Returns the absolute path of the Temporal dev-server binary, or throws TemporalBinaryNotFoundError. */
export function findTemporalBinary(options: FindTemporalBinaryOptions = {}): string {
  const env = options.env ?? process.env;
  const fromEnv = env[TEMPORAL_BIN_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const path = resolve(options.cwd ?? process.cwd(), fromEnv);
    const problem = whyNotRunnable(path);
    if (problem !== undefined) {
      throw new TemporalBinaryNotFoundError(`${TEMPORAL_BIN_ENV} is set to ${path}, which ${problem}.`, [
        path,
      ]);
    }
    return path;
  }

  const starts =
    options.cwd !== undefined ? [options.cwd] : [process.cwd(), dirname(fileURLToPath(import.meta.url))];
  const roots = [...new Set(starts.map(findRepoRoot).filter((root) => root !== undefined))];
  if (roots.length === 0) {
    throw new TemporalBinaryNotFoundError(
      `No pnpm-workspace.yaml found above ${starts.join(' or ')}, so the repo's .tools/bin is unknown.`,
      [],
    );
  }
  const candidates = roots.map((root) => join(root, '.tools', 'bin', 'temporal'));
  for (const candidate of candidates) {
    if (whyNotRunnable(candidate) === undefined) return candidate;
  }
  const first = candidates[0] as string;
  throw new TemporalBinaryNotFoundError(
    `The Temporal dev server is not at ${first} (${whyNotRunnable(first)}).`,
    candidates,
  );
}

/** Describes why `path` cannot be run, or returns undefined when it can. */
function whyNotRunnable(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return 'is not a file';
    accessSync(path, constants.X_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'does not exist';
    if (code === 'EACCES') return 'is not executable';
    return `cannot be read (${code ?? String(error)})`;
  }
}
