// Locates the Temporal dev-server binary (the `temporal` CLI) that scripts/install-temporal.sh
// builds into <repo root>/.tools/bin (or a project's .tools/bin, outside the repository). Nothing is ever downloaded at run time.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipectlError } from '@pipectl/spec/lite';
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

/** The Go module the dev server is built from (a newer tag has a `replace` that `go install` refuses). */
export const TEMPORAL_GO_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** Thrown when no runnable dev-server binary can be found. */
export class TemporalBinaryNotFoundError extends PipectlError {
  /** Paths that were considered, in order. */
  readonly searched: readonly string[];

  /** `fix` says how to build the binary where it was looked for; the env override is always added. */
  constructor(
    reason: string,
    searched: readonly string[],
    fix = `Build the Temporal dev server with \`${INSTALL_TEMPORAL_COMMAND}\` from the repo root`,
  ) {
    super(
      'PIPE6001',
      `${reason} ${fix}, or set ${TEMPORAL_BIN_ENV} to the path of an existing \`temporal\` binary.`,
    );
    this.searched = searched;
  }
}

/**
 * Returns the absolute path of the Temporal dev-server binary, or throws TemporalBinaryNotFoundError.
 * Looks at PIPECTL_TEMPORAL_BIN, then `.tools/bin/temporal` in the project (the nearest folder with
 * pipectl.yaml) and in the pnpm workspace (this repository), above the working directory or this
 * module. Outside the repository the error says how to build the binary with Go into the project.
 */
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
  const repos = unique(starts.map(findRepoRoot));
  const projects = unique(starts.map((start) => findUp(start, 'pipectl.yaml')));
  const candidates = unique([...projects, ...repos].map((root) => join(root, '.tools', 'bin', 'temporal')));
  for (const candidate of candidates) {
    if (whyNotRunnable(candidate) === undefined) return candidate;
  }
  const repo = repos[0];
  if (repo !== undefined) {
    const first = join(repo, '.tools', 'bin', 'temporal');
    throw new TemporalBinaryNotFoundError(
      `The Temporal dev server is not at ${first} (${whyNotRunnable(first)}).`,
      candidates,
    );
  }
  // Outside the repository (pipectl installed from npm): build it with Go into the project's tools.
  const project = projects[0] ?? resolve(starts[0] ?? '.');
  const target = join(project, '.tools', 'bin');
  throw new TemporalBinaryNotFoundError(
    `The Temporal dev server is not at ${join(target, 'temporal')} (${whyNotRunnable(join(target, 'temporal'))}).`,
    candidates.length > 0 ? candidates : [join(target, 'temporal')],
    `Build it with Go 1.23 or newer: \`GOBIN=${target} CGO_ENABLED=0 go install ${TEMPORAL_GO_MODULE}\``,
  );
}

function unique(paths: readonly (string | undefined)[]): string[] {
  return [...new Set(paths.filter((path) => path !== undefined))];
}

/** The nearest folder at or above `start` holding `name`. */
function findUp(start: string, name: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, name))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
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
