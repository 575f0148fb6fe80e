// The Temporal flags of every command that talks to it (--target, --temporal-address, --namespace,
// --task-queue) and the web UI address of a run. Where Temporal is — flags, then TEMPORAL_ADDRESS /
// TEMPORAL_NAMESPACE / PIPECTL_TASK_QUEUE, then the target's and pipectl.yaml's `temporal:`, then
// the local dev server — is the façade's answer (@pipectl/project `projectTemporalSettings`).
import type { ProjectTemporalSettings, TemporalSettingsOptions } from '@pipectl/project';
import type { TemporalSettings } from '@pipectl/runtime';
import type { Command } from 'commander';

export type { ProjectTemporalSettings };

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

/**
 * The command's Temporal settings and target, from the façade (@pipectl/project): flags, then
 * TEMPORAL_* variables, then the target's and pipectl.yaml's `temporal:`. A target that cannot be
 * used is an error (exit 2, its issues located in pipectl.yaml); with `lenient` (a command to which
 * Temporal is optional, such as `docs`), it is left out and the top-level settings apply. A command
 * that opened the project passes its parsed pipectl.yaml (`projectDocument`), read once.
 */
export async function temporalSettings(
  flags: TemporalFlags,
  root: string,
  options: Pick<TemporalSettingsOptions, 'lenient' | 'projectDocument'> = {},
): Promise<ProjectTemporalSettings> {
  const { projectTemporalSettings } = await import('@pipectl/project');
  return projectTemporalSettings(root, { ...temporalOptionsOf(flags), ...options });
}

/** The flags as the façade takes them (`connectProject`, `projectTemporalSettings`). */
export function temporalOptionsOf(flags: TemporalFlags): TemporalSettingsOptions {
  return {
    target: flags.target,
    overrides: { address: flags.temporalAddress, namespace: flags.namespace, taskQueue: flags.taskQueue },
  };
}

/** The web UI address of a run, when Temporal is the local dev server (UI on port + 1000). */
export function webUiUrl(settings: TemporalSettings, runId?: string): string | undefined {
  const match = /^(localhost|127\.0\.0\.1|\[::1\]):(\d+)$/.exec(settings.address);
  if (!match) return undefined;
  const base = `http://${match[1]}:${Number(match[2]) + 1000}/namespaces/${encodeURIComponent(settings.namespace)}/workflows`;
  return runId ? `${base}/${encodeURIComponent(runId)}` : base;
}
