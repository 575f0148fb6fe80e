// `pipectl verify [contract...]`: a contract's checks against the data already in a warehouse,
// read-only — a target's warehouse (--target), or one table named on the command line (--table: a
// PostgreSQL URL or a DuckDB file). What a team runs on production after a manual fix, and what
// `datacontract test` does for a table. Schema drift first, as failing checks; then the same check
// lines as `pipectl test`, or JSON, or JUnit XML. Exit 0 when no error-severity check fails, 1 when
// one does, 2 when the command line, the project or the warehouse cannot be used.
import { resolve } from 'node:path';
import type { ProjectPlan } from '@pipectl/compiler';
import type { VerifyReport, Warehouse } from '@pipectl/engine';
import type { Contract, QualityCheck } from '@pipectl/spec';
import { didYouMean } from '@pipectl/spec/lite';
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir, sourceReader } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { type Paint, painter } from '../io/terminal.js';
import { plural, renderIssues, summarizeIssues } from '../render/issues.js';
import { renderChecks } from '../render/quality-text.js';
import { UsageError } from '../usage-error.js';
import { NO_CACHE_HELP, parseFormat, usesCache, writeOutput } from './options.js';
import { SELECTOR_HELP, type SelectionOptions, selectedDatasets, withSelectOptions } from './selection.js';

const VERIFY_FORMATS = ['text', 'json', 'junit'] as const;

interface VerifyOptions extends SelectionOptions {
  /** false with --no-cache. */
  cache?: boolean;
  project?: string;
  target?: string;
  table?: string;
  format: string;
  output?: string;
}

/** Where the data is: a target's warehouse, or one table given with --table. */
type Place =
  | { readonly kind: 'target'; readonly shown: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly table?: string; readonly shown: string }
  | { readonly kind: 'duckdb-file'; readonly file: string; readonly table?: string; readonly shown: string };

export function registerVerify(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const command = program
    .command('verify')
    .summary("run contracts' checks read-only against the data already in a warehouse")
    .description(
      "Run each contract's checks (its column constraints, quality list, freshness, and the gates of\n" +
        "the step that builds it) against the published table, read-only: the target's DuckDB file\n" +
        'is opened READ_ONLY, a DuckLake is attached READ_ONLY, a PostgreSQL table is read in a READ\n' +
        'ONLY transaction. Schema drift comes first: a contract column missing or of another type is a\n' +
        'failing check, a column the contract lacks a warning. A quarantine check that finds rows\n' +
        'fails; nothing is moved. Without contract names or --select: every contract of the project.\n' +
        'Exit 0 when every error-severity check passes, 1 when one fails.',
    )
    .argument('[name...]', 'the contracts to verify, by dataset name, e.g. mart.daily_revenue')
    .option(
      '-p, --project <dir>',
      'project directory (default: the nearest directory with pipectl.yaml, else .)',
    )
    .option(
      '-t, --target <name>',
      "whose warehouse to read (default: pipectl.yaml's `target`, else the top-level warehouse)",
    )
    .option(
      '--table <table>',
      "verify one table instead: postgres://user@host:5432/db#schema.table or file.duckdb#schema.table (default table: the contract's name)",
    )
    .option('--format <format>', `output format: ${VERIFY_FORMATS.join(', ')}`, 'text')
    .option('--output <file>', 'write the formatted output to a file (and the text report to stdout)');
  withSelectOptions(command, 'their contracts are verified')
    .addHelpText(
      'after',
      `
Exit codes:
  0  every error-severity check passes
  1  a check failed (schema drift included)
  2  bad input: unknown contract, bad --table, the warehouse missing or held by a writer

Examples:
  $ pipectl verify                                       # every contract, on the default target
  $ pipectl verify mart.daily_revenue --target prod
  $ pipectl verify --select tag:finance --format junit --output verify.xml
  $ pipectl verify sales.orders --table 'postgres://reader@db:5432/shop#public.orders'
  $ pipectl verify sales.orders --table exports/shop.duckdb
${SELECTOR_HELP}

Docs: docs/interop.md (verify), docs/running.md`,
    )
    .option('--no-cache', NO_CACHE_HELP)
    .action(async (names: string[], options: VerifyOptions) => {
      const format = parseFormat(options.format, VERIFY_FORMATS);
      if (options.table !== undefined && options.target !== undefined)
        throw tableError(
          '--table and --target name two places',
          'keep one: --table for one table, --target for a warehouse',
        );
      const root = resolveProjectDir(options.project, ctx.cwd);
      const { openProject } = await import('@pipectl/project');
      const project = await openProject(root, { target: options.target, cache: usesCache(options) });
      const result = await project.compile();
      const { errors } = summarizeIssues(result.issues);
      if (errors > 0) {
        ctx.term.err(`${renderIssues(result.issues, ctx.paint, sourceReader(root))}\n\n`);
        ctx.term.err(
          `${ctx.paint('red', 'not verified')}: ${plural(errors, 'error')} in ${displayPath(root, ctx.cwd)}\n`,
        );
        setExit(EXIT.usage);
        return;
      }
      const contracts = new Map<string, Contract>(
        project.loaded.contracts.map((doc) => [doc.value.name, doc.value]),
      );
      const chosen = await chosenContracts(result.plan, contracts, names, options);
      const place = placeOf(ctx, options, chosen.length);
      const gates = gatesByDataset(result.plan);
      const engine = await import('@pipectl/engine');
      const readable = engine.projectReadablePaths(root, result.project, result.plan.pipelines);

      let where = place.shown;
      const reports: VerifyReport[] = [];
      if (place.kind === 'target') {
        const { name, warehouse: kind } = project.target();
        const shown =
          kind.kind === 'duckdb'
            ? displayPath(project.describeWarehouse(), ctx.cwd)
            : project.describeWarehouse();
        where = `target ${name}: ${shown}`;
        const warehouse = await project.openWarehouse({ readable, readOnly: true });
        await withWarehouse(warehouse, async () => {
          for (const contract of chosen)
            reports.push(
              await engine.verifyDataset(warehouse, { contract, gates: gates.get(contract.name) ?? [] }),
            );
        });
      } else {
        const contract = chosen[0] as Contract;
        const table = place.table ?? contract.name;
        const warehouse =
          place.kind === 'postgres'
            ? await engine.openWarehouse(':memory:', { readable })
            : await engine.openDuckdbFileReadOnly(place.file, { readable });
        await withWarehouse(warehouse, async () => {
          const relation =
            place.kind === 'postgres'
              ? (await engine.copyPostgresTable(warehouse, { url: place.url, table, contract })).relation
              : engine.relationNameOf(table);
          reports.push(
            await engine.verifyDataset(warehouse, {
              contract,
              relation,
              gates: gates.get(contract.name) ?? [],
            }),
          );
        });
      }

      const passed = reports.every((report) => report.passed);
      const paint = options.output === undefined ? ctx.paint : painter(false);
      const rendered =
        format === 'json'
          ? `${JSON.stringify({ where, passed, summary: totals(reports), datasets: reports }, null, 2)}\n`
          : format === 'junit'
            ? (await import('../render/quality-junit.js')).renderQualityJunit(
                'pipectl verify',
                reports.map((report) => ({
                  name: report.dataset,
                  properties: { relation: report.relation, where, rows: String(report.rowsChecked) },
                  checks: report.checks,
                })),
              )
            : renderText(reports, where, paint);
      if (options.output !== undefined) {
        ctx.term.out(renderText(reports, where, ctx.paint));
        ctx.term.out(`wrote ${displayPath(await writeOutput(ctx.cwd, options.output, rendered), ctx.cwd)}\n`);
      } else ctx.term.out(rendered);
      setExit(passed ? EXIT.ok : EXIT.checkFailed);
    });
}

async function withWarehouse(warehouse: Warehouse, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } finally {
    warehouse.close();
  }
}

/** The contracts named and selected, in the plan's order (by name); all of them when none is. */
async function chosenContracts(
  plan: ProjectPlan,
  contracts: ReadonlyMap<string, Contract>,
  names: readonly string[],
  options: SelectionOptions,
): Promise<Contract[]> {
  for (const name of names) {
    if (contracts.has(name)) continue;
    const hint = didYouMean(name, contracts.keys());
    throw new UsageError(
      `unknown contract "${name}"${hint ? ` (${hint})` : ''}`,
      'name a contract by its dataset (schema.table); `pipectl lineage --format json` lists them',
    );
  }
  const selected = await selectedDatasets(plan, options);
  const wanted =
    names.length === 0 && selected === undefined ? undefined : new Set([...names, ...(selected ?? [])]);
  return plan.datasets
    .filter((dataset) => wanted === undefined || wanted.has(dataset.name))
    .flatMap((dataset) => {
      const contract = contracts.get(dataset.name);
      return contract ? [contract] : [];
    });
}

/** Each step's extra gates, by the dataset it produces: verify checks them too. */
function gatesByDataset(plan: ProjectPlan): Map<string, readonly QualityCheck[]> {
  return new Map(plan.pipelines.flatMap((p) => p.steps.map((step) => [step.produces, step.gates] as const)));
}

/** `--table` read: a PostgreSQL URL or a DuckDB file, with an optional `#schema.table`. */
function placeOf(ctx: CliContext, options: VerifyOptions, contracts: number): Place {
  if (options.table === undefined) return { kind: 'target', shown: '' };
  const given = options.table;
  if (contracts !== 1)
    throw tableError(
      `--table checks one table against one contract, and ${contracts === 0 ? 'none' : contracts} were named`,
      'name the one contract the table should meet: pipectl verify sales.orders --table ...',
    );
  const hash = given.lastIndexOf('#');
  const location = hash < 0 ? given : given.slice(0, hash);
  const table = hash < 0 ? undefined : given.slice(hash + 1);
  if (table !== undefined && !/^[^.\s]+\.[^.\s]+$/.test(table))
    throw tableError(
      `the table after "#" must be schema.table, got "${table}"`,
      'e.g. --table postgres://reader@db/shop#public.orders',
    );
  if (location === '')
    throw tableError('--table names no database', 'e.g. --table .pipectl/warehouse.duckdb#mart.orders');
  const shown = `table ${redact(location)}${table === undefined ? '' : `#${table}`}`;
  if (/^postgres(ql)?:\/\//i.test(location))
    return { kind: 'postgres', url: location, ...(table !== undefined ? { table } : {}), shown };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location))
    throw tableError(
      `--table reads PostgreSQL URLs and DuckDB files, not "${location.split(':')[0]}://"`,
      'for a lakehouse, declare it as a target in pipectl.yaml and use --target',
    );
  return {
    kind: 'duckdb-file',
    file: resolve(ctx.cwd, location),
    ...(table !== undefined ? { table } : {}),
    shown: `table ${displayPath(resolve(ctx.cwd, location), ctx.cwd)}${table === undefined ? '' : `#${table}`}`,
  };
}

function tableError(message: string, hint: string): UsageError {
  return new UsageError(`PIPE6040 ${message}`, hint);
}

function redact(url: string): string {
  return url.replace(/(\/\/[^:/@\s]+:)[^@\s]+@/g, '$1***@');
}

function totals(reports: readonly VerifyReport[]) {
  const sum = (key: keyof VerifyReport['summary']) => reports.reduce((n, r) => n + r.summary[key], 0);
  return {
    datasets: reports.length,
    checks: reports.reduce((n, r) => n + r.checks.length, 0),
    passed: sum('passed'),
    failed: sum('failed'),
    warned: sum('warned'),
    errored: sum('errored'),
    skipped: sum('skipped'),
  };
}

function renderText(reports: readonly VerifyReport[], where: string, paint: Paint): string {
  const lines = [`${paint('bold', 'pipectl verify')}  ${paint('gray', `${where} (read-only)`)}`];
  for (const report of reports) {
    const facts = report.exists
      ? `${report.relation}, ${plural(report.rowsChecked, 'row')}`
      : report.relation;
    lines.push('', `${paint('bold', report.dataset)}  ${paint('gray', `(${facts})  ${report.ms} ms`)}`);
    lines.push(...renderChecks(report.checks, paint));
  }
  const total = totals(reports);
  const parts = [
    `${total.passed} passed`,
    ...(total.warned > 0 ? [`${total.warned} warned`] : []),
    ...(total.skipped > 0 ? [`${total.skipped} skipped`] : []),
    `${reports.reduce((n, r) => n + r.checks.filter((c) => c.blocking).length, 0)} failed`,
  ];
  const passed = reports.every((report) => report.passed);
  lines.push(
    '',
    `${passed ? paint('green', 'passed') : paint('red', 'failed')}: ${plural(reports.length, 'dataset')}; ${plural(total.checks, 'check')}: ${parts.join(', ')}`,
    '',
  );
  return lines.join('\n');
}
