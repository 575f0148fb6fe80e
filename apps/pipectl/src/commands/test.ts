// `pipectl test <pipeline>`: runs a pipeline end to end (the pipelines it reads from first) against a
// scratch warehouse under .pipectl/test/, and prints a line per source, step and check. Nothing
// is written to the project's warehouse; the scratch is deleted unless --keep. The scratch is of the
// target's kind: a DuckDB file, or for a DuckLake target a DuckLake with a local catalog file and
// data folder (the lake's code paths, without touching the team's catalog server).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelinePlan, ProjectPlan } from '@pipectl/compiler';
import type { CheckResult, PipelineReport, SourceRun, StepRun } from '@pipectl/engine';
import type { Contract, WarehouseTarget } from '@pipectl/spec';
import { didYouMean } from '@pipectl/spec/lite';
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir, sourceReader } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { type Paint, painter } from '../io/terminal.js';
import { plural, renderIssues, summarizeIssues } from '../render/issues.js';
import type { JunitCheck, JunitSuite } from '../render/quality-junit.js';
import { renderChecks } from '../render/quality-text.js';
import { UsageError } from '../usage-error.js';
import { parseFormat, writeOutput } from './options.js';
import { resolveCommandTarget } from './project-target.js';
import {
  hasSelection,
  SELECTOR_HELP,
  type SelectionOptions,
  selectedDatasets,
  withSelectOptions,
} from './selection.js';

interface TestOptions extends SelectionOptions {
  project?: string;
  keep?: boolean;
  target?: string;
  format: string;
  output?: string;
  quiet?: boolean;
}

const TEST_FORMATS = ['text', 'json', 'junit'] as const;

export function registerTest(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const command = program
    .command('test')
    .summary('run a pipeline against a scratch warehouse and report every quality gate')
    .description(
      'Compile the project, then run the pipeline (after the pipelines it reads from)\n' +
        "against a scratch warehouse under .pipectl/test/ (of the --target's kind: a DuckDB\n" +
        'file, or a DuckLake with a local catalog file): extract its sources, build\n' +
        "every step, evaluate every check (the contracts' and the steps' gates). Prints\n" +
        'a line per source, step and check. Never touches the project warehouse.\n' +
        'With --select, only the steps and sources writing the selected datasets run, plus\n' +
        'those writing what they are built from (the scratch warehouse starts empty).\n' +
        'Exit 0 when every error-severity gate passes, 1 when one fails.',
    )
    .argument('[pipeline]', 'the pipeline to test, e.g. shop_staging (or name datasets with --select)')
    .option(
      '-p, --project <dir>',
      'project directory (default: the nearest directory with pipectl.yaml, else .)',
    )
    .option('--keep', 'keep the scratch warehouse file to look at it (its path is printed)')
    .option(
      '-t, --target <name>',
      "the target whose kind of warehouse to test on (default: pipectl.yaml's `target`, else the top-level warehouse)",
    )
    .option('--format <format>', `output format: ${TEST_FORMATS.join(', ')}`, 'text')
    .option('--output <file>', 'write the formatted output to a file (and the text report to stdout)')
    .option(
      '-q, --quiet',
      'no progress on stderr (sources, steps, rows read and checked); the report is unchanged',
    );
  withSelectOptions(command, 'built with everything upstream of them')
    .addHelpText(
      'after',
      `
Examples:
  $ pipectl test shop_staging
  $ pipectl test --select mart.daily_revenue       # it and what it needs, nothing else
  $ pipectl test --select tag:finance --exclude raw.*
  $ pipectl test shop_marts --keep && duckdb .pipectl/test/shop_marts-*.duckdb
  $ pipectl test shop_marts --target prod     # on a scratch DuckLake, as prod runs
  $ pipectl test shop_marts --format junit --output test-results.xml
${SELECTOR_HELP}`,
    )
    .action(async (pipelineName: string | undefined, options: TestOptions) => {
      const format = parseFormat(options.format, TEST_FORMATS);
      // JSON and JUnit on stdout are the whole output: the progress line goes to the text report only.
      const textOnStdout = format === 'text' || options.output !== undefined;
      if (pipelineName === undefined && !hasSelection(options)) {
        throw new UsageError(
          'name a pipeline to test, or select datasets with --select',
          'e.g. pipectl test shop_daily, or pipectl test --select +mart.daily_revenue',
        );
      }
      const root = resolveProjectDir(options.project, ctx.cwd);
      const { compileProject, loadProject } = await import('@pipectl/compiler');
      const { openTargetWarehouse, projectReadablePaths, runPipeline } = await import('@pipectl/engine');
      const loaded = await loadProject(root);
      const result = await compileProject(loaded);
      const { errors } = summarizeIssues(result.issues);
      if (errors > 0) {
        ctx.term.err(`${renderIssues(result.issues, ctx.paint, sourceReader(root))}\n\n`);
        ctx.term.err(
          `${ctx.paint('red', 'not tested')}: ${plural(errors, 'error')} in ${displayPath(root, ctx.cwd)}\n`,
        );
        setExit(EXIT.usage);
        return;
      }
      const byName = new Map(result.plan.pipelines.map((p) => [p.name, p]));
      if (pipelineName !== undefined && !byName.has(pipelineName)) {
        const name = pipelineName;
        const hint = didYouMean(name, byName.keys());
        throw new UsageError(
          `unknown pipeline "${name}"${hint ? ` (${hint})` : ''}`,
          `pipelines in ${displayPath(root, ctx.cwd)}: ${[...byName.keys()].join(', ') || 'none'}`,
        );
      }
      const target = await resolveCommandTarget(
        ctx,
        root,
        loaded.projectDocument,
        result.project,
        options.target,
      );
      const contracts = new Map<string, Contract>(loaded.contracts.map((doc) => [doc.value.name, doc.value]));
      const selected = await selectedDatasets(result.plan, options);
      const order =
        selected === undefined
          ? withUpstream(pipelineName as string, byName)
          : await selectedWork(result.plan, selected, pipelineName);
      const name = pipelineName ?? 'selection';

      const dir = join(root, '.pipectl', 'test');
      mkdirSync(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
      const base = join(dir, `${name}-${stamp}-${process.pid}`);
      const scratch = scratchOf(target.warehouse.kind, base);
      const file = scratch.shown;
      const runId = `test-${stamp}-${process.pid}`;
      if (textOnStdout)
        ctx.term.out(
          `${ctx.paint('bold', `pipectl test ${name}`)}  ${ctx.paint('gray', `scratch ${displayPath(file, ctx.cwd)}`)}\n`,
        );

      // Sandboxed: the scratch warehouse reads only its own files and the project's source folders.
      const warehouse = await openTargetWarehouse({ warehouse: scratch.warehouse }, root, {
        readable: projectReadablePaths(root, result.project, result.plan.pipelines),
      });
      const reports: PipelineReport[] = [];
      const { engineProgress, openProgress } = await import('../io/progress.js');
      const progress = await openProgress(ctx.term.progress, ctx.paint, {
        ...(options.quiet ? { quiet: true } : {}),
        color: ctx.term.color,
      });
      try {
        for (const pipeline of order) {
          // On the scratch file, a Parquet source checked in place stays a view over its files:
          // the checks saw those rows, and copying them in would be half the time of a large one.
          const sourcesInPlace = scratch.warehouse.kind === 'duckdb';
          reports.push(
            await runPipeline(warehouse, {
              pipeline,
              contracts,
              runId,
              projectDir: root,
              sourcesInPlace,
              progress: engineProgress(progress),
            }),
          );
        }
      } finally {
        progress.stop();
        warehouse.close();
        if (!options.keep) for (const path of scratch.files) rmSync(path, { recursive: true, force: true });
      }

      const passed = reports.every((report) => report.passed);
      const text = (paint: Paint) =>
        `${reports
          .map(
            (report) =>
              `\n${renderPipeline(report, paint, pipelineName !== undefined && report.pipeline !== pipelineName)}`,
          )
          .join('')}\n${renderSummary(reports, paint)}\n`;
      const rendered =
        format === 'json'
          ? `${JSON.stringify({ passed, pipelines: reports }, null, 2)}\n`
          : format === 'junit'
            ? (await import('../render/quality-junit.js')).renderQualityJunit(
                `pipectl test ${name}`,
                junitSuites(reports),
              )
            : text(options.output === undefined ? ctx.paint : painter(false));
      if (options.output !== undefined) {
        ctx.term.out(text(ctx.paint));
        ctx.term.out(`wrote ${displayPath(await writeOutput(ctx.cwd, options.output, rendered), ctx.cwd)}\n`);
      } else ctx.term.out(rendered);
      if (options.keep && textOnStdout)
        ctx.term.out(`${ctx.paint('gray', `kept ${displayPath(file, ctx.cwd)}`)}\n`);
      setExit(passed ? EXIT.ok : EXIT.checkFailed);
    });
}

/**
 * A JUnit suite per source and step that ran: its checks, and a failed load or build (SQL, schema)
 * as an error case of its own, a skipped step as a skipped one.
 */
function junitSuites(reports: readonly PipelineReport[]): JunitSuite[] {
  const outcome = (id: string, status: 'error' | 'skipped', message: string): JunitCheck => ({
    id,
    kind: id,
    status,
    blocking: status === 'error',
    severity: 'error',
    rule: `the ${id} succeeds`,
    expected: 'success',
    observed: status,
    samples: [],
    message,
  });
  return reports.flatMap((report) => [
    ...report.sources.map((source) => ({
      name: source.dataset,
      properties: { pipeline: report.pipeline, source: source.name },
      checks: [
        ...(source.status === 'failed' ? [outcome('load', 'error', source.error?.message ?? 'failed')] : []),
        ...(source.quality?.checks ?? []),
      ],
    })),
    ...report.steps.map((step) => {
      const build = step.report?.build;
      const failed = build?.failure && build.failure.stage !== 'quality' ? build.failure.message : undefined;
      return {
        name: step.dataset,
        properties: { pipeline: report.pipeline, step: step.name },
        checks: [
          ...(step.status === 'skipped' ? [outcome('build', 'skipped', step.reason ?? 'not run')] : []),
          ...(failed !== undefined ? [outcome('build', 'error', failed)] : []),
          ...(build?.quality?.checks ?? []),
        ],
      };
    }),
  ]);
}

/**
 * The scratch warehouse of a test run, of the target's kind. A DuckLake target is tested on a lake
 * with a local catalog file: the same engine paths as a PostgreSQL catalog (no keys, snapshots,
 * lake transactions) without needing the team's catalog server or its credentials.
 */
function scratchOf(
  kind: WarehouseTarget['kind'],
  base: string,
): { warehouse: WarehouseTarget; shown: string; files: string[] } {
  if (kind === 'duckdb') {
    const path = `${base}.duckdb`;
    return { warehouse: { kind, path }, shown: path, files: [path, `${path}.wal`] };
  }
  const catalog = `${base}.ducklake`;
  const dataPath = `${base}.lake`;
  return {
    warehouse: { kind, catalog, dataPath },
    shown: catalog,
    files: [catalog, `${catalog}.wal`, dataPath],
  };
}

/**
 * The pipelines, reduced to the sources and steps writing the selected datasets (within
 * `pipeline` when one is named) and everything those are built from, upstream first.
 */
async function selectedWork(
  plan: ProjectPlan,
  selected: ReadonlySet<string>,
  pipeline: string | undefined,
): Promise<PipelinePlan[]> {
  const { ancestorsOf, selectionGraph } = await import('@pipectl/compiler');
  const inPipeline = (dataset: string) =>
    pipeline === undefined ||
    plan.datasets.find((d) => d.name === dataset)?.producedBy?.pipeline === pipeline;
  const wanted = [...selected].filter(inPipeline);
  if (wanted.length === 0) {
    throw new UsageError(
      `the selection names no dataset that pipeline "${pipeline}" writes`,
      `drop the pipeline argument, or select its datasets (--select pipeline:${pipeline})`,
    );
  }
  const graph = selectionGraph(plan);
  const needed = new Set([...wanted, ...ancestorsOf(graph, wanted)]);
  // A step also waits for the steps its `references` checks point into: those datasets are needed too.
  const producers = new Map(
    plan.pipelines.flatMap((p) => p.steps.map((step) => [`${p.name}/${step.name}`, step.produces])),
  );
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of plan.pipelines)
      for (const step of p.steps) {
        if (!needed.has(step.produces)) continue;
        for (const dependency of step.dependsOn) {
          const dataset = producers.get(`${p.name}/${dependency}`);
          if (dataset === undefined || needed.has(dataset)) continue;
          for (const name of [dataset, ...ancestorsOf(graph, [dataset])]) needed.add(name);
          grew = true;
        }
      }
  }
  const byName = new Map(plan.pipelines.map((p) => [p.name, p]));
  const order: PipelinePlan[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    const current = byName.get(name);
    if (!current || seen.has(name)) return;
    seen.add(name);
    for (const upstream of current.dependsOnPipelines) visit(upstream);
    const sources = current.sources.filter((source) => needed.has(source.dataset));
    const steps = current.steps.filter((step) => needed.has(step.produces));
    if (sources.length + steps.length > 0) order.push({ ...current, sources, steps });
  };
  for (const p of plan.pipelines) visit(p.name);
  return order;
}

/** The pipeline and the pipelines it reads from, transitively, upstream first. */
function withUpstream(name: string, byName: ReadonlyMap<string, PipelinePlan>): PipelinePlan[] {
  const order: PipelinePlan[] = [];
  const seen = new Set<string>();
  const visit = (current: string) => {
    const pipeline = byName.get(current);
    if (!pipeline || seen.has(current)) return;
    seen.add(current);
    for (const upstream of pipeline.dependsOnPipelines) visit(upstream);
    order.push(pipeline);
  };
  visit(name);
  return order;
}

function renderPipeline(report: PipelineReport, paint: Paint, upstream: boolean): string {
  const lines = [
    `${paint('bold', report.pipeline)}${upstream ? paint('gray', '  (upstream, run first)') : ''}  ${paint('gray', `${report.ms} ms`)}`,
  ];
  for (const source of report.sources) lines.push(...renderSource(source, paint));
  for (const step of report.steps) lines.push(...renderStep(step, paint));
  return `${lines.join('\n')}\n`;
}

function renderSource(source: SourceRun, paint: Paint): string[] {
  const status = source.status === 'loaded' ? paint('green', '✓') : paint('red', '✗');
  const extract = source.extract;
  const facts = extract
    ? [
        `${extract.rowsWritten} rows`,
        ...(extract.rowsQuarantined > 0 ? [paint('yellow', `${extract.rowsQuarantined} quarantined`)] : []),
      ]
    : [];
  const lines = [
    `  ${status} source ${source.name} → ${source.dataset}  ${paint('gray', `(${[source.kind, ...facts].join(', ')})`)}`,
  ];
  if (source.error) {
    lines.push(`      ${paint('red', source.error.message)}`);
    if (source.error.hint) lines.push(`      ${paint('blue', '=')} help: ${source.error.hint}`);
  }
  for (const drift of extract?.drift ?? [])
    lines.push(`      ${paint('yellow', `drift ${drift.rule}`)} ${drift.message}`);
  if (source.quality) lines.push(...renderChecks(source.quality.checks, paint));
  return lines;
}

function renderStep(step: StepRun, paint: Paint): string[] {
  const build = step.report?.build;
  const publish = step.report?.publish;
  const ok = step.status === 'published' || step.status === 'already-published';
  const mark = ok ? paint('green', '✓') : step.status === 'skipped' ? paint('gray', '-') : paint('red', '✗');
  const facts = [
    step.materialized,
    ...(build && build.status !== 'failed' ? [`${build.rowsStaged - build.rowsQuarantined} rows`] : []),
    ...(build && build.rowsQuarantined > 0 ? [`${build.rowsQuarantined} quarantined`] : []),
    ...(build ? [`${build.timings.totalMs + (publish?.ms ?? 0)} ms`] : []),
  ];
  const lines = [`  ${mark} step ${step.name} → ${step.dataset}  ${paint('gray', `(${facts.join(', ')})`)}`];
  if (step.status === 'skipped') lines.push(`      ${paint('gray', `skipped: ${step.reason ?? 'not run'}`)}`);
  if (build?.failure && build.failure.stage !== 'quality')
    lines.push(`      ${paint('red', build.failure.message)}`);
  for (const problem of build?.schema?.problems ?? [])
    lines.push(`      ${paint('blue', '=')} help: ${problem.hint}`);
  if (step.status === 'awaiting-approval') {
    lines.push(`      ${paint('yellow', 'breaking schema change: publishing needs an approval')}`);
  }
  if (publish?.status === 'blocked' && publish.reason) lines.push(`      ${paint('red', publish.reason)}`);
  if (build?.quality) lines.push(...renderChecks(build.quality.checks, paint));
  return lines;
}

function renderSummary(reports: readonly PipelineReport[], paint: Paint): string {
  const checks = reports.flatMap((report) => [
    ...report.sources.flatMap((source) => source.quality?.checks ?? []),
    ...report.steps.flatMap((step) => step.report?.build.quality?.checks ?? []),
  ]);
  const count = (test: (check: CheckResult) => boolean) => checks.filter(test).length;
  const steps = reports.flatMap((report) => report.steps);
  const stepsOk = steps.filter(
    (step) => step.status === 'published' || step.status === 'already-published',
  ).length;
  const failed = count((c) => c.blocking);
  const parts = [
    `${count((c) => c.status === 'pass')} passed`,
    ...(count((c) => c.status === 'fail' && !c.blocking) > 0
      ? [`${count((c) => c.status === 'fail' && !c.blocking)} warned`]
      : []),
    ...(count((c) => c.status === 'quarantined') > 0
      ? [`${count((c) => c.status === 'quarantined')} quarantined`]
      : []),
    ...(count((c) => c.status === 'skipped') > 0 ? [`${count((c) => c.status === 'skipped')} skipped`] : []),
    `${failed} failed`,
  ];
  const passed = reports.every((report) => report.passed);
  const verdict = passed ? paint('green', 'passed') : paint('red', 'failed');
  return `${verdict}: ${plural(reports.length, 'pipeline')}, ${stepsOk} of ${plural(steps.length, 'step')} built; ${plural(checks.length, 'check')}: ${parts.join(', ')}`;
}
