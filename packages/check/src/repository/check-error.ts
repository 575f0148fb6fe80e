// Input the check cannot work with at all (no repository, no such base): one error class with a
// stable code from the PIPE4xxx range and what to do, so the CLI prints it in one line and exits 2.
import { PipectlError } from '@pipectl/spec/lite';
export type CheckErrorCode =
  /** The base (or head) revision does not exist in this clone. */
  | 'PIPE4001'
  /** The directory is not inside a git repository. */
  | 'PIPE4002'
  /** The project directory is outside the repository. */
  | 'PIPE4004'
  /** git itself failed: not installed, or an unexpected error. */
  | 'PIPE4006';

export class CheckError extends PipectlError {
  declare readonly code: CheckErrorCode;
  constructor(code: CheckErrorCode, message: string, hint?: string) {
    super(code, message, { hint });
  }
}
