// The façade's errors, in the one error model: a project whose settings cannot be used (its issues
// located in pipectl.yaml, for a renderer's code frame), and a dataset nobody declares.
import { type Issue, type IssueCode, PipectlError } from '@pipectl/spec';

/** The target (or another part of the project's settings) cannot be used; `issues` say where. */
export class ProjectIssuesError extends PipectlError {
  constructor(
    /** Absolute project directory: the issues' files are relative to it. */
    readonly projectDir: string,
    readonly issues: readonly Issue[],
    message: string,
    hint: string,
  ) {
    super((issues[0]?.code ?? 'PIPE1031') as IssueCode, message, { hint });
  }
}

/** PIPE2003: no contract declares the dataset and the registry never published it. */
export class UnknownDatasetError extends PipectlError {
  constructor(
    readonly dataset: string,
    /** The closest known name, as a "did you mean" phrase. */
    readonly suggestion: string | undefined,
  ) {
    super(
      'PIPE2003',
      `unknown dataset "${dataset}"${suggestion ? ` (${suggestion})` : ''}: no contract declares it and the registry never published it`,
      {
        hint: 'name a dataset as its contract does (schema.table); `pipectl lineage --format json` lists them',
      },
    );
  }
}
