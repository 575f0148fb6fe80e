// Where Temporal is, for every command that talks to it: flags, then TEMPORAL_ADDRESS /
// TEMPORAL_NAMESPACE / PIPECTL_TASK_QUEUE, then the target's `temporal` (`--target`, else
// pipectl.yaml's `target:`), then the project's pipectl.yaml, then the local dev server.
// The project's name comes along: run ids, schedules and `runs` are the project's own, and its
// task queue is `pipectl-<name>` unless pipectl.yaml (or a flag) names one.
import { basename } from 'node:path';
import type { ProjectTemporal, TemporalSettings } from '@pipectl/runtime';
import type { Project, ProjectDocument, ResolvedTarget, TemporalTls } from '@pipectl/spec';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { UsageError } from '../usage-error.js';
import { readProjectDocument, resolveCommandTarget } from './project-target.js';

export interface TemporalFlags {
  temporalAddress?: string;
  namespace?: string;
  taskQueue?: string;
  target?: string;
}

export function addTemporalOptions(command: Command): Command {
  return command
    .option(
      '-t, --target <name>',
      "the target of pipectl.yaml to use: its warehouse and Temporal (default: pipectl.yaml's `target`, else the top-level settings)",
    )
    .option(
      '--temporal-address <host:port>',
      'Temporal frontend (env TEMPORAL_ADDRESS; default localhost:7233, the dev server)',
    )
    .option('--namespace <name>', 'Temporal namespace (env TEMPORAL_NAMESPACE; default "default")')
    .option(
      '--task-queue <name>',
      'task queue of the pipectl workers (env PIPECTL_TASK_QUEUE; default: pipectl.yaml\'s, else "pipectl-<project name>")',
    );
}

/** Temporal settings with the name of the project they are for. */
export interface ProjectTemporalSettings extends TemporalSettings {
  /** The project's `name` in pipectl.yaml; the directory's name without one (as the compiler does). */
  readonly project: string;
  /** The target named by `--target` or pipectl.yaml's `target:`; undefined for the top-level settings. */
  readonly target?: ResolvedTarget;
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
  const written = (key: 'address' | 'namespace' | 'taskQueue') =>
    sourceMap.has(['temporal', key]) ? { [key]: value.temporal[key] } : {};
  const own = target ? value.targets?.[target.name]?.temporal : undefined;
  const targets = (key: 'address' | 'namespace' | 'taskQueue') =>
    target && own?.[key] !== undefined ? { [key]: target.temporal[key] } : {};
  return {
    name: value.name,
    ...written('address'),
    ...written('namespace'),
    ...written('taskQueue'),
    ...targets('address'),
    ...targets('namespace'),
    ...targets('taskQueue'),
  };
}

/**
 * The command's Temporal settings and target. A target is resolved only when one is named
 * (`--target`, or `target:` in pipectl.yaml); with `ctx` its problems are printed and exit 2,
 * without (a command for which Temporal is optional, such as `docs`) a target that cannot be used
 * is left out and the top-level settings apply.
 */
export async function temporalSettings(
  flags: TemporalFlags,
  root: string,
  ctx?: CliContext,
): Promise<ProjectTemporalSettings> {
  const { resolveTemporalSettings } = await import('@pipectl/runtime');
  const explicit: Partial<{ -readonly [K in keyof TemporalSettings]: TemporalSettings[K] }> = {};
  if (flags.temporalAddress !== undefined) explicit.address = flags.temporalAddress;
  if (flags.namespace !== undefined) explicit.namespace = flags.namespace;
  if (flags.taskQueue !== undefined) explicit.taskQueue = flags.taskQueue;
  const document = await readProjectDocument(root);
  if (flags.target !== undefined && !document && ctx) {
    throw new UsageError(
      `--target ${flags.target}: there is no valid pipectl.yaml in ${root} to name targets`,
      'add the target under `targets:` in pipectl.yaml (`pipectl validate` shows what is wrong with it)',
    );
  }
  const named = document && (flags.target !== undefined || document.value.target !== undefined);
  const target = !named
    ? undefined
    : ctx
      ? await resolveCommandTarget(ctx, root, document, document.value, flags.target)
      : await softTarget(document.value, flags.target);
  const project = projectTemporal(root, document, target);
  return {
    ...resolveTemporalSettings(explicit, project),
    project: project.name,
    ...(target ? { target } : {}),
    ...(await tlsOf(target?.temporal.tls, root, ctx !== undefined)),
  };
}

async function softTarget(project: Project, name: string | undefined): Promise<ResolvedTarget | undefined> {
  const { resolveTarget } = await import('@pipectl/spec');
  const resolved = resolveTarget(project, { ...(name !== undefined ? { name } : {}), env: process.env });
  return resolved.ok ? resolved.target : undefined;
}

/**
 * The target's TLS settings as the SDK takes them. An unreadable certificate is a usage error, or
 * (not `strict`) leaves TLS out: that command's Temporal is optional and fails to connect later.
 */
async function tlsOf(tls: TemporalTls | undefined, root: string, strict: boolean) {
  if (!tls) return {};
  const { tlsConfigOf, TemporalTlsError } = await import('@pipectl/runtime');
  try {
    return { tls: tlsConfigOf(tls, root) };
  } catch (error) {
    if (!(error instanceof TemporalTlsError)) throw error;
    if (strict) throw new UsageError(`${error.code} ${error.message}`);
    return {};
  }
}

/** The web UI address of a run, when Temporal is the local dev server (UI on port + 1000). */
export function webUiUrl(settings: TemporalSettings, runId?: string): string | undefined {
  const match = /^(localhost|127\.0\.0\.1|\[::1\]):(\d+)$/.exec(settings.address);
  if (!match) return undefined;
  const base = `http://${match[1]}:${Number(match[2]) + 1000}/namespaces/${encodeURIComponent(settings.namespace)}/workflows`;
  return runId ? `${base}/${encodeURIComponent(runId)}` : base;
}
