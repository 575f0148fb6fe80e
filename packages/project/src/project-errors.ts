// The façade's errors, in the one error model: a project whose settings cannot be used (its issues
// located in pipectl.yaml, for a renderer's code frame), a dataset nobody declares, and a test
// subject that names no work.
import { didYouMean, type Issue, type IssueCode, PipectlError } from '@pipectl/spec';

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

/** PIPE2040: no pipeline of the project has this name. */
export class UnknownPipelineError extends PipectlError {
  constructor(
    readonly pipeline: string,
    /** The project's pipelines. */
    readonly known: readonly string[],
  ) {
    const suggestion = didYouMean(pipeline, known);
    super('PIPE2040', `unknown pipeline "${pipeline}"${suggestion ? ` (${suggestion})` : ''}`, {
      hint: `pipelines of the project: ${known.join(', ') || 'none'}`,
    });
  }
}

/** PIPE2041: a selection within a named pipeline where that pipeline writes none of the selected datasets. */
export class SelectionOutsidePipelineError extends PipectlError {
  constructor(readonly pipeline: string) {
    super('PIPE2041', `the selection names no dataset that pipeline "${pipeline}" writes`, {
      hint: `drop the pipeline argument, or select its datasets (--select pipeline:${pipeline})`,
    });
  }
}
