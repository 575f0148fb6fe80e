// The library façade's entry: `openProject(dir, { target })` loads a project once and answers
// what the CLI's commands ask of it — its compiled plan, the target it runs on, that target's
// warehouse and a dataset's published history — so a program embedding pipectl, and the CLI
// itself, go through one tested path. Nothing here prints: problems are data or PipectlErrors.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CompileResult, compileProject, type LoadedProject, loadProject } from '@pipectl/compiler';
import {
  openTargetWarehouse,
  type PublishedVersion,
  projectReadablePaths,
  publicationHistory,
  type Warehouse,
} from '@pipectl/engine';
import { didYouMean, type Environment, type Issue, type ResolvedTarget, resolveTarget } from '@pipectl/spec';
import { ProjectIssuesError, UnknownDatasetError } from './project-errors.js';

export interface OpenProjectOptions {
  /** A target of pipectl.yaml; else its `target:`, else the top-level settings ("default"). */
  readonly target?: string | undefined;
  /** Where `${VAR}`s of the target are read; `process.env` by default. */
  readonly env?: Environment;
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
   * The caller closes it.
   */
  openWarehouse(options?: {
    readonly readable?: readonly string[];
    readonly readOnly?: boolean;
  }): Promise<Warehouse>;
  /** Every publication of `dataset`, oldest first; UnknownDatasetError when nobody declares or published it. */
  history(dataset: string): Promise<DatasetHistory>;
}

/**
 * @example const project = await openProject('examples/task-analytics', { target: 'dev' });
 * const { versions } = await project.history('analytics.fct_task_events');
 */
export async function openProject(dir: string, options: OpenProjectOptions = {}): Promise<OpenedProject> {
  const root = resolve(dir);
  const loaded = await loadProject(root);
  const env = options.env ?? process.env;
  let compiled: Promise<CompileResult> | undefined;
  let resolvedTarget: ResolvedTarget | undefined;

  const compile = (): Promise<CompileResult> => {
    compiled ??= compileProject(loaded, { env });
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
    const readable =
      open.readable ??
      projectReadablePaths(
        root,
        loaded.project,
        loaded.pipelines.map((doc) => doc.value),
      );
    return openTargetWarehouse(target(), root, {
      readable: [...readable],
      ...(open.readOnly ? { readOnly: true } : {}),
    });
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
      const published = await publicationHistory(opened, dataset);
      if (published.length === 0 && !known.has(dataset)) throw unknown();
      return { dataset, versions: published.map((v, i) => ({ ...v, version: i + 1 })) };
    } finally {
      opened.close();
    }
  };

  return { dir: root, loaded, compile, target, describeWarehouse, openWarehouse, history };
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
