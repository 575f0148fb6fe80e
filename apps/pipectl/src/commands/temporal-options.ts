// Where Temporal is, for every command that talks to it: flags, then TEMPORAL_ADDRESS /
// TEMPORAL_NAMESPACE / PIPECTL_TASK_QUEUE, then the project's pipectl.yaml, then the local dev server.
// The project's name comes along: run ids, schedules and `runs` are the project's own, and its
// task queue is `pipectl-<name>` unless pipectl.yaml (or a flag) names one.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ProjectTemporal, TemporalSettings } from '@pipectl/runtime';
import { parseDocument } from '@pipectl/spec';
import type { Command } from 'commander';

export interface TemporalFlags {
  temporalAddress?: string;
  namespace?: string;
  taskQueue?: string;
}

export function addTemporalOptions(command: Command): Command {
  return command
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
}

/**
 * The project's name and the `temporal:` settings its pipectl.yaml writes out (defaults the file
 * leaves to the schema are left out, so that the task queue defaults to the project's own).
 */
function projectTemporal(root: string): ProjectTemporal & { readonly name: string } {
  const fallback = { name: basename(root) };
  const file = join(root, 'pipectl.yaml');
  if (!existsSync(file)) return fallback;
  const parsed = parseDocument('pipectl.yaml', readFileSync(file, 'utf8'));
  if (parsed.document?.kind !== 'Project') return fallback;
  const { value, sourceMap } = parsed.document;
  const written = (key: keyof TemporalSettings) =>
    sourceMap.has(['temporal', key]) ? { [key]: value.temporal[key] } : {};
  return {
    name: value.name,
    ...written('address'),
    ...written('namespace'),
    ...written('taskQueue'),
  };
}

export async function temporalSettings(flags: TemporalFlags, root: string): Promise<ProjectTemporalSettings> {
  const { resolveTemporalSettings } = await import('@pipectl/runtime');
  const explicit: Partial<{ -readonly [K in keyof TemporalSettings]: TemporalSettings[K] }> = {};
  if (flags.temporalAddress !== undefined) explicit.address = flags.temporalAddress;
  if (flags.namespace !== undefined) explicit.namespace = flags.namespace;
  if (flags.taskQueue !== undefined) explicit.taskQueue = flags.taskQueue;
  const project = projectTemporal(root);
  return { ...resolveTemporalSettings(explicit, project), project: project.name };
}

/** The web UI address of a run, when Temporal is the local dev server (UI on port + 1000). */
export function webUiUrl(settings: TemporalSettings, runId?: string): string | undefined {
  const match = /^(localhost|127\.0\.0\.1|\[::1\]):(\d+)$/.exec(settings.address);
  if (!match) return undefined;
  const base = `http://${match[1]}:${Number(match[2]) + 1000}/namespaces/${encodeURIComponent(settings.namespace)}/workflows`;
  return runId ? `${base}/${encodeURIComponent(runId)}` : base;
}
