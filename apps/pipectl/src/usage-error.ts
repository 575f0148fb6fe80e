// A mistake on the command line (unknown kind, bad flag value): reported in one line, exit 2.
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
