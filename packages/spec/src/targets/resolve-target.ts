// Which target a command runs on, with its `${VAR}` references read from the environment. Pure:
// the environment is an argument. The top-level `warehouse` and `temporal` of pipectl.yaml are the
// implicit target "default", so a project without `targets:` works as before.
import { didYouMean } from '../issues/did-you-mean.js';
import type { Issue, IssuePath } from '../issues/issue.js';
import { DEFAULT_TARGET, type Project } from '../schema/project.js';
import {
  ENV_REFERENCE,
  type OpenLineageConfig,
  type TargetConfig,
  type TemporalTls,
  type WarehouseTarget,
} from '../schema/target.js';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface ResolvedTemporal {
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly tls?: TemporalTls;
}

export interface ResolvedTarget {
  readonly name: string;
  /** With every `${VAR}` replaced; paths as written (relative to the project directory). */
  readonly warehouse: WarehouseTarget;
  readonly temporal: ResolvedTemporal;
  /** OpenLineage emission, with `${VAR}`s filled; absent when the target emits nothing (the default). */
  readonly openlineage?: OpenLineageConfig;
}

export type TargetResolution =
  | { readonly ok: true; readonly target: ResolvedTarget }
  | { readonly ok: false; readonly issues: readonly Issue[] };

/** An environment variable a target reads, where it is read. */
export interface TargetVariable {
  readonly target: string;
  readonly variable: string;
  /** Path in pipectl.yaml of the value that reads it. */
  readonly path: IssuePath;
}

/** The targets a project offers: `default` (the top-level settings) and every named one. */
export function targetNames(project: Project): string[] {
  return [...new Set([DEFAULT_TARGET, ...Object.keys(project.targets ?? {})])];
}

/** The target of `pipectl.yaml` as configured, before interpolation: `default` built from the top level. */
function configOf(project: Project, name: string): TargetConfig | undefined {
  const named = project.targets?.[name];
  if (named) return named;
  if (name !== DEFAULT_TARGET) return undefined;
  return {
    warehouse: { kind: 'duckdb', path: project.warehouse.path },
    ...(project.openlineage ? { openlineage: project.openlineage } : {}),
  };
}

/**
 * The target `name` (else pipectl.yaml's `target:`, else `default`), its `${VAR}`s read from `env`.
 * An unknown name, or a variable that is not set, is an issue naming the field to fix.
 * @example resolveTarget(project, { name: 'prod', env: process.env }) // { ok: true, target: { warehouse: { kind: 'ducklake', … } } }
 */
export function resolveTarget(
  project: Project,
  options: { name?: string; env: Environment },
): TargetResolution {
  const name = options.name ?? project.target ?? DEFAULT_TARGET;
  const config = configOf(project, name);
  if (!config) {
    const names = targetNames(project);
    const hint = didYouMean(name, names);
    return {
      ok: false,
      issues: [
        {
          code: 'PIPE1031',
          severity: 'error',
          message: `unknown target "${name}"${hint ? ` (${hint})` : ''}`,
          path: options.name === undefined ? ['target'] : [],
          expected: `one of: ${names.join(', ')}`,
          hint: 'name a target listed under `targets:` in pipectl.yaml, or add it there',
        },
      ],
    };
  }
  const missing = variablesOf(name, config).filter(({ variable }) => options.env[variable] === undefined);
  if (missing.length > 0) return { ok: false, issues: missing.map((m) => missingVariableIssue(m, 'error')) };

  const fill = (text: string) =>
    text.replace(ENV_REFERENCE, (_, variable: string) => options.env[variable] ?? '');
  const warehouse: WarehouseTarget =
    config.warehouse.kind === 'duckdb'
      ? config.warehouse
      : {
          kind: 'ducklake',
          catalog: fill(config.warehouse.catalog),
          dataPath: fill(config.warehouse.dataPath),
        };
  const tls = config.temporal?.tls;
  const temporal: ResolvedTemporal = {
    address: fill(config.temporal?.address ?? project.temporal.address),
    namespace: config.temporal?.namespace ?? project.temporal.namespace,
    taskQueue: config.temporal?.taskQueue ?? project.temporal.taskQueue ?? `pipectl-${project.name}`,
    ...(tls
      ? {
          tls: {
            ...tls,
            ...(tls.caFile ? { caFile: fill(tls.caFile) } : {}),
            ...(tls.certFile ? { certFile: fill(tls.certFile) } : {}),
            ...(tls.keyFile ? { keyFile: fill(tls.keyFile) } : {}),
          },
        }
      : {}),
  };
  const openlineage: OpenLineageConfig | undefined = config.openlineage && {
    ...config.openlineage,
    transports: config.openlineage.transports.map((transport) =>
      transport.type === 'http'
        ? { ...transport, url: fill(transport.url) }
        : transport.type === 'file'
          ? { ...transport, path: fill(transport.path) }
          : transport,
    ),
  };
  return { ok: true, target: { name, warehouse, temporal, ...(openlineage ? { openlineage } : {}) } };
}

/** Every environment variable the project's targets read and is not set in `env`. */
export function unsetTargetVariables(project: Project, env: Environment): TargetVariable[] {
  return Object.entries(project.targets ?? {}).flatMap(([name, config]) =>
    variablesOf(name, config).filter(({ variable }) => env[variable] === undefined),
  );
}

/** The issue for a variable that is not set: a warning at validate, an error when the target is used. */
export function missingVariableIssue(missing: TargetVariable, severity: 'error' | 'warning'): Issue {
  return {
    code: 'PIPE2030',
    severity,
    message: `target "${missing.target}" reads the environment variable ${missing.variable}, which is not set`,
    path: missing.path,
    hint: `set ${missing.variable} in the environment of every process that uses target "${missing.target}" (a CI secret, a Kubernetes secret, an .env file kept out of git)`,
  };
}

function variablesOf(name: string, config: TargetConfig): TargetVariable[] {
  const base: IssuePath = ['targets', name];
  const fields: [IssuePath, string | undefined][] = [
    ...(config.warehouse.kind === 'ducklake'
      ? ([
          [['warehouse', 'catalog'], config.warehouse.catalog],
          [['warehouse', 'dataPath'], config.warehouse.dataPath],
        ] as [IssuePath, string][])
      : []),
    [['temporal', 'address'], config.temporal?.address],
    [['temporal', 'tls', 'caFile'], config.temporal?.tls?.caFile],
    [['temporal', 'tls', 'certFile'], config.temporal?.tls?.certFile],
    [['temporal', 'tls', 'keyFile'], config.temporal?.tls?.keyFile],
    ...(config.openlineage?.transports ?? []).map((transport, index): [IssuePath, string | undefined] =>
      transport.type === 'http'
        ? [['openlineage', 'transports', index, 'url'], transport.url]
        : transport.type === 'file'
          ? [['openlineage', 'transports', index, 'path'], transport.path]
          : [[], undefined],
    ),
  ];
  const pems: [IssuePath, string | undefined][] = [
    [['temporal', 'tls', 'caEnv'], config.temporal?.tls?.caEnv],
    [['temporal', 'tls', 'certEnv'], config.temporal?.tls?.certEnv],
    [['temporal', 'tls', 'keyEnv'], config.temporal?.tls?.keyEnv],
  ];
  return [
    ...fields.flatMap(([path, value]) =>
      [...(value ?? '').matchAll(ENV_REFERENCE)].map((match) => ({
        target: name,
        variable: match[1] ?? '',
        path: [...base, ...path],
      })),
    ),
    ...pems.flatMap(([path, value]) =>
      value ? [{ target: name, variable: value, path: [...base, ...path] }] : [],
    ),
  ];
}

/**
 * Where a value of a target holds a secret literally (`password=…` not from `${VAR}`, or a URL's
 * `user:password@`): pipectl.yaml is committed, so a secret in it is an error.
 */
export function literalSecretOf(value: string): string | undefined {
  const keyword = /\bpassword\s*=\s*(?!\$\{)('[^']*'|\S+)/i.exec(value);
  if (keyword) return 'password=';
  const url = /:\/\/[^/:@\s]+:(?!\$\{)[^@\s]+@/.exec(value);
  return url ? 'a password in the URL' : undefined;
}
