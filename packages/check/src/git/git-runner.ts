// The one door to git: run `git <args>` in a repository and get its output. Every git question
// of the check goes through a Git, so tests and tools can give their own. The default starts the
// git executable with execFile (never a shell), with prompts and optional locks turned off:
// a check only reads, and must never wait for a password or block another git.
import { execFile } from 'node:child_process';
import { PipectlError } from '@pipectl/spec/lite';

export interface GitRunOptions {
  /** Written to git's standard input (for `cat-file --batch`). */
  readonly input?: string;
}

export interface Git {
  /** Runs `git <args>`; resolves with its standard output, rejects with a GitCommandError. */
  run(args: readonly string[], options?: GitRunOptions): Promise<Buffer>;
}

/** git exited with a failure, or could not be started at all (`exitCode` null). */
export class GitCommandError extends PipectlError {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    /** The system error code when git could not start, e.g. ENOENT when git is not installed. */
    readonly systemCode?: string,
  ) {
    super(
      'PIPE4006',
      `git ${args.join(' ')} failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${stderr.trim()}`,
    );
  }
}

// Output of a whole project's files through one `cat-file --batch` can be large; far above any real one.
const MAX_OUTPUT = 1024 * 1024 * 1024;

/**
 * A Git that runs the git executable in `cwd`.
 * @example const head = (await createGit('.').run(['rev-parse', 'HEAD'])).toString().trim();
 */
export function createGit(cwd: string, env: NodeJS.ProcessEnv = process.env): Git {
  const gitEnv = { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
  return {
    run(args, options = {}) {
      return new Promise((resolve, reject) => {
        const child = execFile(
          'git',
          [...args],
          { cwd, env: gitEnv, encoding: 'buffer', maxBuffer: MAX_OUTPUT, windowsHide: true },
          (error, stdout, stderr) => {
            if (!error) return resolve(stdout);
            const code = (error as NodeJS.ErrnoException).code;
            const exitCode = typeof code === 'number' ? code : null;
            const systemCode = typeof code === 'string' ? code : undefined;
            const message = stderr.length > 0 ? stderr.toString('utf8') : error.message;
            reject(new GitCommandError(args, exitCode, message, systemCode));
          },
        );
        // git may exit before reading all of its input (a bad ref); that is reported by its exit code.
        child.stdin?.on('error', () => undefined);
        child.stdin?.end(options.input ?? '');
      });
    },
  };
}
