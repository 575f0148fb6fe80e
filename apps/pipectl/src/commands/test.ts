// `pipectl test <pipeline>`: runs a pipeline end to end (the pipelines it reads from first) against a
// scratch warehouse under .pipectl/test/, and prints a line per source, step and check. The work is
// the library façade's (`project.test`, in @pipectl/project: which steps, the scratch of the
// target's kind, the engine's runs); this command parses the options, shows progress and renders
// the report as text, JSON or JUnit.
import type { CheckResult, PipelineReport, SourceRun, StepRun } from '@pipectl/engine';
import type { TestReport } from '@pipectl/project';
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir, sourceReader } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { type Paint, painter } from '../io/terminal.js';
import { plural, renderIssues, summarizeIssues } from '../render/issues.js';
import type { JunitCheck, JunitSuite } from '../render/quality-junit.js';
import { renderChecks } from '../render/quality-text.js';
import { UsageError } from '../usage-error.js';
import { NO_CACHE_HELP, parseFormat, usesCache, writeOutput } from './options.js';
import {
  hasSelection,
  SELECTOR_HELP,
  type SelectionOptions,
  selectedDatasets,
  withSelectOptions,
} from './selection.js';

interface TestOptions extends SelectionOptions {
  /** false with --no-cache. */
  cache?: boolean;
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
    .option('--no-cache', NO_CACHE_HELP)
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
      const { openProject } = await import('@pipectl/project');
      const project = await openProject(root, { target: options.target, cache: usesCache(options) });
      const result = await project.compile();
      const { errors } = summarizeIssues(result.issues);
      if (errors > 0) {
        ctx.term.err(`${renderIssues(result.issues, ctx.paint, sourceReader(root))}\n\n`);
        ctx.term.err(
          `${ctx.paint('red', 'not tested')}: ${plural(errors, 'error')} in ${displayPath(root, ctx.cwd)}\n`,
        );
        setExit(EXIT.usage);
        return;
      }
      const datasets = await selectedDatasets(result.plan, options);
      const name = pipelineName ?? 'selection';
      const { engineProgress, withProgress } = await import('../io/progress.js');
      const report = await withProgress(ctx, options.quiet, (progress) =>
        project.test(
          { pipeline: pipelineName, datasets },
          {
            ...(options.keep ? { keep: true } : {}),
            progress: engineProgress(progress),
            onScratch: (file) => {
              if (textOnStdout)
                ctx.term.out(
                  `${ctx.paint('bold', `pipectl test ${name}`)}  ${ctx.paint('gray', `scratch ${displayPath(file, ctx.cwd)}`)}\n`,
                );
            },
          },
        ),
      );
      const reports = report.pipelines;
      const file = report.scratch;

      const { passed } = report;
      const text = (paint: Paint) =>
        `${reports
          .map(
            (report) =>
              `\n${renderPipeline(report, paint, pipelineName !== undefined && report.pipeline !== pipelineName)}`,
          )
          .join('')}\n${renderSummary(report, paint)}\n`;
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

function renderSummary({ pipelines: reports, passed }: TestReport, paint: Paint): string {
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
  const verdict = passed ? paint('green', 'passed') : paint('red', 'failed');
  return `${verdict}: ${plural(reports.length, 'pipeline')}, ${stepsOk} of ${plural(steps.length, 'step')} built; ${plural(checks.length, 'check')}: ${parts.join(', ')}`;
}
