// Where Temporal is, for every command that talks to it: flags, then TEMPORAL_ADDRESS /
// TEMPORAL_NAMESPACE / PIPECTL_TASK_QUEUE, then the project's pipectl.yaml, then the local dev server.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemporalSettings } from '@pipectl/runtime';
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
      'task queue of the pipectl workers (env PIPECTL_TASK_QUEUE; default "pipectl")',
    );
}

/** The `temporal:` section of the project's pipectl.yaml, when there is a valid one. */
function projectTemporal(root: string): Partial<TemporalSettings> {
  const file = join(root, 'pipectl.yaml');
  if (!existsSync(file)) return {};
  const parsed = parseDocument('pipectl.yaml', readFileSync(file, 'utf8'));
  return parsed.document?.kind === 'Project' ? parsed.document.value.temporal : {};
}

export async function temporalSettings(flags: TemporalFlags, root: string): Promise<TemporalSettings> {
  const { resolveTemporalSettings } = await import('@pipectl/runtime');
  const explicit: Partial<{ -readonly [K in keyof TemporalSettings]: TemporalSettings[K] }> = {};
  if (flags.temporalAddress !== undefined) explicit.address = flags.temporalAddress;
  if (flags.namespace !== undefined) explicit.namespace = flags.namespace;
  if (flags.taskQueue !== undefined) explicit.taskQueue = flags.taskQueue;
  return resolveTemporalSettings(explicit, projectTemporal(root));
}

/** The web UI address of a run, when Temporal is the local dev server (UI on port + 1000). */
export function webUiUrl(settings: TemporalSettings, runId?: string): string | undefined {
  const match = /^(localhost|127\.0\.0\.1|\[::1\]):(\d+)$/.exec(settings.address);
  if (!match) return undefined;
  const base = `http://${match[1]}:${Number(match[2]) + 1000}/namespaces/${encodeURIComponent(settings.namespace)}/workflows`;
  return runId ? `${base}/${encodeURIComponent(runId)}` : base;
}
