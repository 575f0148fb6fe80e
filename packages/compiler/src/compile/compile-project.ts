// The compiler's front door. compileProject() is the pure core over a loaded project (the SQL
// parser is injected); compile() is the convenience that loads a directory first. Stages:
// index -> references -> step SQL (templates) -> parse + lineage -> typing (DuckDB binds every
// query against the declared schemas) -> cycles -> graph and plan.
import { resolve } from 'node:path';
import { type AllowedSigner, type Issue, type Project, sortIssues } from '@pipectl/spec';
import { openCompileCache } from '../cache/compile-cache.js';
import { buildLineageGraph } from '../lineage/build-lineage-graph.js';
import type { LineageGraph } from '../lineage/lineage-graph.js';
import { type LoadedProject, loadProject } from '../load/load-project.js';
import { buildPlan } from '../plan/build-plan.js';
import type { ProjectPlan } from '../plan/project-plan.js';
import { analyzeSteps } from '../resolve/analyze-steps.js';
import { checkReferences } from '../resolve/check-references.js';
import { checkSourcePaths } from '../resolve/check-source-paths.js';
import { checkGateQueries } from '../resolve/check-sql-access.js';
import { checkTargets } from '../resolve/check-targets.js';
import { findCycles } from '../resolve/find-cycles.js';
import { issue } from '../resolve/issue-builders.js';
import { indexProject } from '../resolve/project-index.js';
import { type ResolvedStep, resolveSteps, type StepInput } from '../resolve/resolve-step-sql.js';
import { createDuckDbSqlBinder } from '../sql/duckdb-sql-binder.js';
import { createDuckDbSqlParser } from '../sql/duckdb-sql-parser.js';
import type { SqlBinder } from '../sql/sql-binder.js';
import type { SqlParser } from '../sql/sql-parser.js';
import { relationsRead, typeSql } from '../typing/type-sql.js';

export interface CompileOptions {
  /** Parses step SQL; by default a DuckDB in-memory parser, opened and closed by this call. */
  readonly sqlParser?: SqlParser;
  /** Binds step SQL and `sql` checks to type them; by default in-memory DuckDB, one per compile. */
  readonly sqlBinder?: SqlBinder;
  /** Where targets' `${VAR}`s are looked up (unset ones are warnings); `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * compile(): use and update the project's persistent compile cache (`.pipectl/cache/`): parsed
   * documents, DuckDB's parses and binds of the SQL, keyed by content, so the result is the same
   * as without it. Off by default for the library (the CLI turns it on; `--no-cache` turns it off).
   * compileProject() follows the loaded project (`loadProject(dir, { cache: true })`); `false` here
   * keeps its SQL out of the cache. An injected sqlParser or sqlBinder is never cached.
   */
  readonly cache?: boolean;
}

export interface CompileResult {
  readonly project: Project;
  readonly graph: LineageGraph;
  readonly plan: ProjectPlan;
  /** Every problem found, loading included, sorted by file and position. */
  readonly issues: readonly Issue[];
  /** The approvers' public keys when the project requires signed approvals (LoadedProject.signers). */
  readonly signers?: readonly AllowedSigner[];
}

/**
 * Compiles a loaded project: resolves every reference, traces column lineage through the SQL,
 * orders the steps and builds the lineage graph. Never throws for bad input.
 * @example const { plan, issues } = await compileProject(await loadProject('examples/shop'));
 */
export async function compileProject(
  loaded: LoadedProject,
  options: CompileOptions = {},
): Promise<CompileResult> {
  const issues: Issue[] = [...loaded.issues];
  const index = indexProject(loaded, issues);
  const steps = resolveSteps(loaded, index, issues);
  const cache = options.cache === false ? undefined : loaded.cache;
  const binder = options.sqlBinder ?? cache?.sqlBinder() ?? createDuckDbSqlBinder();
  // DuckDB creates the relations to type against while the rest of the compile runs.
  const session = binder.open(relationsRead(loaded, index, steps));
  try {
    checkReferences(index, issues);
    checkSourcePaths(loaded, issues);
    checkTargets(loaded, issues, options.env ?? process.env);

    const parser = options.sqlParser ?? cache?.sqlParser() ?? createDuckDbSqlParser();
    let lineages: Awaited<ReturnType<typeof analyzeSteps>>;
    try {
      lineages = await analyzeSteps(steps, index, parser, issues);
      await checkGateQueries(loaded, parser, issues);
    } finally {
      if (!options.sqlParser) parser.close();
    }
    // DuckDB binds while the graph and the plan are built.
    const typing = typeSql(loaded, index, steps, lineages, session, issues);
    typing.catch(() => undefined);
    reportCycles(steps, issues);
    const graph = buildLineageGraph(index, steps, lineages);
    const plan = buildPlan(loaded.project, index, steps, lineages);
    if (loaded.signers) checkSignedApprovers(loaded, plan, issues);
    await typing;
    return {
      project: loaded.project,
      graph,
      plan,
      issues: sortIssues(issues),
      ...(loaded.signers ? { signers: loaded.signers } : {}),
    };
  } finally {
    session.close();
  }
}

/** With signed approvals required, an approver without a key in the allowed-signers file can never decide. */
function checkSignedApprovers(loaded: LoadedProject, plan: ProjectPlan, issues: Issue[]): void {
  // No file to read (PIPE2031, PIPE2035) is reported once, not once per approver.
  if (loaded.issues.some((i) => i.code === 'PIPE2031' || i.code === 'PIPE2035')) return;
  const signed = new Set((loaded.signers ?? []).flatMap((signer) => signer.principals));
  const file = loaded.project.approvals?.allowedSigners ?? 'allowed_signers';
  for (const dataset of plan.datasets) {
    const missing = dataset.approvers.filter((name) => !signed.has(name));
    if (missing.length === 0) continue;
    const contract = loaded.contracts.find((doc) => doc.value.name === dataset.name);
    issues.push({
      code: 'PIPE2034',
      severity: 'warning',
      message: `approver${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')} of ${dataset.name} ha${missing.length > 1 ? 've' : 's'} no key in ${file}, so cannot sign a decision`,
      ...(contract
        ? { file: contract.file, path: ['approvers'], span: contract.sourceMap.spanOf(['approvers']) }
        : { path: [] }),
      hint: `add a line \`${missing[0]} ssh-ed25519 AAAA…\` to ${file}, or remove the name from approvers`,
    });
  }
}

/**
 * Loads and compiles the project in `dir`.
 * @example const result = await compile('.'); if (hasErrors(result.issues)) ...
 */
export async function compile(dir: string, options: CompileOptions = {}): Promise<CompileResult> {
  const cache = options.cache ? await openCompileCache(resolve(dir)) : undefined;
  // Created first, so DuckDB opens while the files are read and parsed (with a warm cache, only
  // if a query is not in it).
  const sqlParser = options.sqlParser ?? cache?.sqlParser() ?? createDuckDbSqlParser();
  try {
    const loaded = await loadProject(dir, cache ? { cache } : {});
    const result = await compileProject(loaded, { ...options, sqlParser });
    await cache?.save();
    return result;
  } finally {
    if (!options.sqlParser) sqlParser.close();
  }
}

/** PIPE2006 for every loop of steps, within a pipeline or across pipelines through datasets. */
function reportCycles(steps: readonly ResolvedStep[], issues: Issue[]): void {
  const byKey = new Map(steps.map((step) => [step.key, step]));
  const successors = new Map<string, string[]>();
  // Where each dependency is written: `${from}->${to}` -> the input in `to` that reads `from`.
  const readsAt = new Map<string, StepInput>();
  for (const step of steps) {
    successors.set(step.key, successors.get(step.key) ?? []);
    for (const input of step.inputs) {
      if (input.producer?.kind !== 'step') continue;
      const from = `${input.producer.pipeline}/${input.producer.name}`;
      if (!byKey.has(from)) continue;
      const list = successors.get(from) ?? [];
      if (!list.includes(step.key)) list.push(step.key);
      successors.set(from, list);
      if (!readsAt.has(`${from}->${step.key}`)) readsAt.set(`${from}->${step.key}`, input);
    }
  }

  for (const cycle of findCycles(successors)) {
    const first = byKey.get(cycle[0] as string);
    const last = cycle[cycle.length - 1] as string;
    const input = readsAt.get(`${last}->${cycle[0]}`);
    if (!first?.place || !input) continue;
    const pipelines = new Set(cycle.map((key) => byKey.get(key)?.pipeline.value.name));
    const single = pipelines.size === 1;
    const names = [...cycle, cycle[0] as string].map((key) =>
      single ? (byKey.get(key)?.step.name ?? key) : key,
    );
    const message = single
      ? `steps of pipeline "${first.pipeline.value.name}" form a cycle: ${names.join(' -> ')}`
      : `steps form a cycle across pipelines through their datasets: ${names.join(' -> ')}`;
    issues.push(
      issue('PIPE2006', message, first.place.at(input.offset), {
        hint:
          cycle.length === 1
            ? `step "${first.step.name}" reads the dataset it produces; read an upstream dataset instead`
            : `remove the ${input.fn}('${input.name}') here, or another ref of the loop`,
      }),
    );
  }
}
