// The library façade's entry: `openProject(dir, { target })` loads a project once and answers
// what the CLI's commands ask of it — its compiled plan, the target it runs on, that target's
// warehouse and a dataset's published history — so a program embedding pipectl, and the CLI
// itself, go through one tested path. Nothing here prints: problems are data or PipectlErrors.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CompileResult, compileProject, type LoadedProject, loadProject } from '@pipectl/compiler';
// The engine (and DuckDB's native library) is loaded when a warehouse is opened or a test runs, not
// with the façade: `check`, `run` and `status` import it without needing either.
import type { PublishedVersion, Warehouse } from '@pipectl/engine';
import { didYouMean, type Environment, type Issue, type ResolvedTarget, resolveTarget } from '@pipectl/spec';
import { ProjectIssuesError, UnknownDatasetError } from './project-errors.js';
import { type ProjectLineage, projectLineage } from './project-lineage.js';
import type { TestOptions, TestReport } from './run-tests.js';
import { type TestSubject, testedWork } from './tested-work.js';

export interface OpenProjectOptions {
  /** A target of pipectl.yaml; else its `target:`, else the top-level settings ("default"). */
  readonly target?: string | undefined;
  /** Where `${VAR}`s of the target are read; `process.env` by default. */
  readonly env?: Environment;
  /**
   * Load and compile through the project's compile cache (`.pipectl/cache/`; the compiler's
   * `LoadOptions.cache`), saved after compile(). Off by default; the CLI turns it on.
   */
  readonly cache?: boolean;
}

/** A publication with its number in the dataset's history (1 = the first ever published). */
export interface NumberedVersion extends PublishedVersion {
  readonly version: number;
}

export interface DatasetHistory {
  readonly dataset: string;
  /** Oldest first, numbered from 1 (what `restore --version N` takes). */
  readonly versions: readonly NumberedVersion[];
}

export interface OpenedProject {
  /** Absolute project directory. */
  readonly dir: string;
  /** The parsed documents, before compilation; their issues are in `compile().issues`. */
  readonly loaded: LoadedProject;
  /** Compiles the loaded project once (later calls return the same result). Never throws for bad input. */
  compile(): Promise<CompileResult>;
  /** The target the project runs on; throws ProjectIssuesError, located in pipectl.yaml, when it cannot be used. */
  target(): ResolvedTarget;
  /** Where the target keeps its data, for people: the DuckDB file, or the DuckLake catalog without its password. */
  describeWarehouse(): string;
  /**
   * Opens the target's warehouse, able to read the project's sources (or `readable` paths only).
   * `readOnly` never creates or changes it, and throws a WarehouseError when it does not exist yet
   * or a writer holds it. The caller closes it.
   */
  openWarehouse(options?: {
    readonly readable?: readonly string[];
    readonly readOnly?: boolean;
  }): Promise<Warehouse>;
  /** Every publication of `dataset`, oldest first; UnknownDatasetError when nobody declares or published it. */
  history(dataset: string): Promise<DatasetHistory>;
  /**
   * Runs the subject (a pipeline with the pipelines it reads from, or the steps writing a selection
   * of datasets with everything upstream of them; everything without either) on a scratch
   * warehouse of the target's kind under .pipectl/test/, and reports every source, step and check.
   * Throws ProjectIssuesError when the project has errors, UnknownPipelineError for a pipeline it lacks.
   * @example const report = await project.test({ pipeline: 'task_analytics' }); report.passed
   */
  test(subject?: TestSubject, options?: TestOptions): Promise<TestReport>;
  /**
   * The project at dataset level (sources' origins and steps' inputs to what they write), or the
   * part `datasets` names. Compiles first; a project with errors gives the edges it could plan.
   * @example const { edges } = await project.lineage(new Set(['mart.daily_revenue']));
   */
  lineage(datasets?: ReadonlySet<string>): Promise<ProjectLineage>;
}

/**
 * @example const project = await openProject('examples/task-analytics', { target: 'dev' });
 * const { versions } = await project.history('analytics.fct_task_events');
 */
export async function openProject(dir: string, options: OpenProjectOptions = {}): Promise<OpenedProject> {
  const root = resolve(dir);
  const loaded = await loadProject(root, { cache: options.cache === true });
  const env = options.env ?? process.env;
  let compiled: Promise<CompileResult> | undefined;
  let resolvedTarget: ResolvedTarget | undefined;

  const compile = (): Promise<CompileResult> => {
    compiled ??= compileProject(loaded, { env }).then(async (result) => {
      await loaded.cache?.save();
      return result;
    });
    return compiled;
  };

  const target = (): ResolvedTarget => {
    if (resolvedTarget) return resolvedTarget;
    const resolution = resolveTarget(loaded.project, {
      ...(options.target !== undefined ? { name: options.target } : {}),
      env,
    });
    if (!resolution.ok) {
      const name = options.target ?? loaded.project.target ?? 'default';
      throw new ProjectIssuesError(
        root,
        locate(loaded, resolution.issues),
        `target "${name}" cannot be used`,
        'name a target of pipectl.yaml with --target, and set the environment variables it reads',
      );
    }
    resolvedTarget = resolution.target;
    return resolvedTarget;
  };

  const describeWarehouse = (): string => {
    const { warehouse } = target();
    return warehouse.kind === 'duckdb'
      ? resolve(root, warehouse.path)
      : `DuckLake ${warehouse.catalog.replace(/password=\S+/g, 'password=…')}`;
  };

  const openWarehouse: OpenedProject['openWarehouse'] = async (open = {}) => {
    const { openTargetReadOnly, openTargetWarehouse, projectReadablePaths } = await import('@pipectl/engine');
    const readable =
      open.readable ??
      projectReadablePaths(
        root,
        loaded.project,
        loaded.pipelines.map((doc) => doc.value),
      );
    // Read-only refuses a warehouse that is not there yet (PIPE5216) or that a writer holds (PIPE5215).
    if (open.readOnly) return openTargetReadOnly(target(), root, { readable: [...readable] });
    return openTargetWarehouse(target(), root, { readable: [...readable] });
  };

  const history = async (dataset: string): Promise<DatasetHistory> => {
    const known = new Set(loaded.contracts.map((doc) => doc.value.name));
    const unknown = () => new UnknownDatasetError(dataset, didYouMean(dataset, known));
    const { warehouse } = target();
    if (warehouse.kind === 'duckdb' && !existsSync(resolve(root, warehouse.path))) {
      if (!known.has(dataset)) throw unknown();
      return { dataset, versions: [] };
    }
    const opened = await openWarehouse({ readable: [] });
    try {
      const { publicationHistory } = await import('@pipectl/engine');
      const published = await publicationHistory(opened, dataset);
      if (published.length === 0 && !known.has(dataset)) throw unknown();
      return { dataset, versions: published.map((v, i) => ({ ...v, version: i + 1 })) };
    } finally {
      opened.close();
    }
  };

  const test = async (subject: TestSubject = {}, testOptions: TestOptions = {}): Promise<TestReport> => {
    const result = await compile();
    const errors = result.issues.filter((issue) => issue.severity === 'error');
    if (errors.length > 0)
      throw new ProjectIssuesError(
        root,
        errors,
        `the project has ${errors.length} error${errors.length === 1 ? '' : 's'}: nothing was tested`,
        'fix the errors shown (`pipectl validate` lists them)',
      );
    const work = testedWork(result.plan, subject);
    const name = subject.pipeline ?? (subject.datasets ? 'selection' : 'project');
    const input = {
      root,
      project: result.project,
      contracts: loaded.contracts.map((doc) => doc.value),
      work,
      pipelines: result.plan.pipelines,
      kind: target().warehouse.kind,
      name,
    };
    const { runTests } = await import('./run-tests.js');
    return runTests(input, testOptions);
  };

  const lineage = async (datasets?: ReadonlySet<string>): Promise<ProjectLineage> =>
    projectLineage((await compile()).plan, datasets);

  return { dir: root, loaded, compile, target, describeWarehouse, openWarehouse, history, test, lineage };
}

/** Issues of the settings, placed in pipectl.yaml where they have a path. */
function locate(loaded: LoadedProject, issues: readonly Issue[]): Issue[] {
  const document = loaded.projectDocument;
  return issues.map((issue) =>
    document && issue.path.length > 0
      ? { ...issue, file: document.file, span: document.sourceMap.spanOf(issue.path) }
      : issue,
  );
}
