// Exit codes are part of the CLI's contract with scripts and CI; docs/cli.md lists them.
export const EXIT = {
  /** Everything checked out. */
  ok: 0,
  /** A check ran and failed (e.g. a breaking change, warnings under --strict). */
  checkFailed: 1,
  /** The command line or the project is invalid: nothing could be checked as asked. */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
