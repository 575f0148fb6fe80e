// Where a project's Temporal is: explicit values (a program's, or the CLI's flags), then
// TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / PIPECTL_TASK_QUEUE, then the target's `temporal` (named,
// else pipectl.yaml's `target:`), then pipectl.yaml's own `temporal:`, then the local dev server.
// The project's name comes along: run ids, schedules and run lists are the project's own, and its
// task queue is `pipectl-<name>` unless pipectl.yaml (or an explicit value) names one.
// Read from pipectl.yaml alone: commands that only talk to Temporal (status, approve, worker) do not
// pay for loading every contract and pipeline.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { ProjectTemporal, TemporalSettings } from '@pipectl/runtime';
import {
  type Environment,
  type Issue,
  PipectlError,
  type ProjectDocument,
  parseDocument,
  type ResolvedTarget,
  resolveTarget,
} from '@pipectl/spec';
import { ProjectIssuesError } from './project-errors.js';

export interface TemporalOverrides {
  readonly address?: string | undefined;
  readonly namespace?: string | undefined;
  readonly taskQueue?: string | undefined;
}

export interface TemporalSettingsOptions {
  /** A target of pipectl.yaml; else its `target:`, else the top-level settings. */
  readonly target?: string | undefined;
  /** Values that win over everything else (the CLI's --temporal-address, --namespace, --task-queue). */
  readonly overrides?: TemporalOverrides;
  /** Where `${VAR}`s and TEMPORAL_* are read; `process.env` by default. */
  readonly env?: Environment;
  /**
   * Lenient: a target that cannot be used, or a TLS file that cannot be read, is left out and the
   * top-level settings apply (for a caller to whom Temporal is optional, such as `docs`). Strict
   * (the default) throws ProjectIssuesError / TemporalTlsError with the fix.
   */
  readonly lenient?: boolean;
  /**
   * pipectl.yaml as the caller already parsed it (an opened project's `loaded.projectDocument`;
   * null: the project has none), so it is not read again; read from the directory when absent.
   */
  readonly projectDocument?: ProjectDocument | null;
}

/** Temporal settings with the project they are for. */
export interface ProjectTemporalSettings extends TemporalSettings {
  /** The project's `name` in pipectl.yaml; the directory's name without one (as the compiler does). */
  readonly project: string;
  /** The target used, when one is named (by option or by pipectl.yaml's `target:`). */
  readonly target?: ResolvedTarget;
}

/**
 * @example const settings = await projectTemporalSettings('examples/shop', { target: 'prod' });
 * // { address: 'temporal.internal:7233', namespace: 'data', taskQueue: 'pipectl-shop', project: 'shop', target: … }
 */
export async function projectTemporalSettings(
  dir: string,
  options: TemporalSettingsOptions = {},
): Promise<ProjectTemporalSettings> {
  const root = resolve(dir);
  const env = options.env ?? process.env;
  const document =
    options.projectDocument === undefined
      ? readProjectDocument(root)
      : (options.projectDocument ?? undefined);
  if (options.target !== undefined && !document && !options.lenient)
    throw new NoProjectFileError(root, options.target);
  const named = document && (options.target !== undefined || document.value.target !== undefined);
  const target = named ? targetOf(root, document, options.target, env, options.lenient === true) : undefined;
  const project = projectTemporal(root, document, target);
  const { resolveTemporalSettings } = await import('@pipectl/runtime');
  const explicit = Object.fromEntries(
    Object.entries(options.overrides ?? {}).filter(([, value]) => value !== undefined),
  ) as Partial<TemporalSettings>;
  return {
    ...resolveTemporalSettings(explicit, project, env),
    project: project.name,
    ...(target ? { target } : {}),
    ...(await tlsOf(target, root, options.lenient === true)),
  };
}

/** PIPE2042: a target is named, but there is no valid pipectl.yaml to name it. */
export class NoProjectFileError extends PipectlError {
  constructor(
    readonly projectDir: string,
    readonly target: string,
  ) {
    super('PIPE2042', `target "${target}" is named, but there is no valid pipectl.yaml in ${projectDir}`, {
      hint: 'add the target under `targets:` in pipectl.yaml (`pipectl validate` shows what is wrong with it), or run from the project directory (-p <dir>)',
    });
  }
}

/** pipectl.yaml of `root` parsed on its own, if it is there and a valid Project. */
function readProjectDocument(root: string): ProjectDocument | undefined {
  const file = join(root, 'pipectl.yaml');
  if (!existsSync(file)) return undefined;
  const parsed = parseDocument('pipectl.yaml', readFileSync(file, 'utf8'));
  return parsed.document?.kind === 'Project' ? parsed.document : undefined;
}

function targetOf(
  root: string,
  document: ProjectDocument,
  name: string | undefined,
  env: Environment,
  lenient: boolean,
): ResolvedTarget | undefined {
  const resolved = resolveTarget(document.value, { ...(name !== undefined ? { name } : {}), env });
  if (resolved.ok) return resolved.target;
  if (lenient) return undefined;
  throw new ProjectIssuesError(
    root,
    located(document, resolved.issues),
    `target "${name ?? document.value.target ?? 'default'}" cannot be used`,
    'name a target of pipectl.yaml with --target, and set the environment variables it reads',
  );
}

function located(document: ProjectDocument, issues: readonly Issue[]): Issue[] {
  return issues.map((issue) =>
    issue.path.length > 0
      ? { ...issue, file: document.file, span: document.sourceMap.spanOf(issue.path) }
      : issue,
  );
}

/**
 * The project's name and the `temporal:` settings its pipectl.yaml writes out (defaults the file
 * leaves to the schema are left out, so that the task queue defaults to the project's own); a
 * target's own `temporal` fields over them.
 */
function projectTemporal(
  root: string,
  document: ProjectDocument | undefined,
  target: ResolvedTarget | undefined,
): ProjectTemporal & { readonly name: string } {
  if (!document) return { name: basename(root) };
  const { value, sourceMap } = document;
  const own = target ? value.targets?.[target.name]?.temporal : undefined;
  const keys = ['address', 'namespace', 'taskQueue'] as const;
  const settings: { -readonly [K in (typeof keys)[number]]?: string } = {};
  for (const key of keys) {
    const chosen =
      target && own?.[key] !== undefined
        ? target.temporal[key]
        : sourceMap.has(['temporal', key])
          ? value.temporal[key]
          : undefined;
    if (chosen !== undefined) settings[key] = chosen;
  }
  return { name: value.name, ...settings };
}

/** The target's TLS settings as the SDK takes them; lenient leaves TLS out when a file cannot be read. */
async function tlsOf(target: ResolvedTarget | undefined, root: string, lenient: boolean) {
  const tls = target?.temporal.tls;
  if (!tls) return {};
  const { tlsConfigOf, TemporalTlsError } = await import('@pipectl/runtime');
  try {
    return { tls: tlsConfigOf(tls, root) };
  } catch (error) {
    if (lenient && error instanceof TemporalTlsError) return {};
    throw error;
  }
}
