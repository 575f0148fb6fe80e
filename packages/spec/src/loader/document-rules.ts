// Rules that need a whole document rather than one field: unique names, parseable types,
// fields that exclude each other, checks naming columns of their own contract.
import { didYouMean } from '../issues/did-you-mean.js';
import type { Issue, IssuePath } from '../issues/issue.js';
import { checkCron, checkTimeZone, type ScheduleProblem } from '../schedule/check-schedule.js';
import type { Contract } from '../schema/contract.js';
import type { Pipeline } from '../schema/pipeline.js';
import type { Project } from '../schema/project.js';
import type { QualityCheck } from '../schema/quality-check.js';
import type { OpenLineageConfig, OpenLineageTransport } from '../schema/target.js';
import { literalSecretOf, targetNames } from '../targets/resolve-target.js';
import { checkColumnType } from '../types/check-column-type.js';
import { parseDataType } from '../types/data-type.js';
import type { PipectlDocument } from './parse-document.js';
import type { SourceMap } from './source-map.js';

type Report = (code: string, path: IssuePath, message: string, extra?: Partial<Issue>) => void;

function reporter(file: string, sourceMap: SourceMap, issues: Issue[]): Report {
  return (code, path, message, extra = {}) =>
    issues.push({ code, severity: 'error', message, file, path, span: sourceMap.spanOf(path), ...extra });
}

export function contractRules(contract: Contract, file: string, sourceMap: SourceMap): Issue[] {
  const issues: Issue[] = [];
  const report = reporter(file, sourceMap, issues);
  const names = contract.columns.map((column) => column.name);

  duplicateNames(names, (index, name) =>
    report(
      'PIPE1008',
      ['columns', index, 'name'],
      `column "${name}" is declared twice in contract "${contract.name}"`,
      {
        hint: 'rename or remove one of the two columns',
      },
    ),
  );

  contract.columns.forEach((column, index) => {
    const parsed = parseDataType(column.type);
    if (!parsed.ok) {
      const { error } = parsed;
      report(
        'PIPE1009',
        ['columns', index, 'type'],
        `column "${column.name}" has an invalid type ${JSON.stringify(column.type)}: ${error.message}`,
        {
          span: sourceMap.spanInScalar(
            ['columns', index, 'type'],
            error.offset,
            tokenLength(column.type, error.offset),
          ),
          expected:
            'a DuckDB type such as integer, bigint, decimal(12,2), varchar, date, timestamp, varchar[]',
          ...(error.suggestion
            ? { hint: `did you mean "${error.suggestion}"?` }
            : error.hint
              ? { hint: error.hint }
              : {}),
        },
      );
    }
    if (column.primaryKey && column.nullable && sourceMap.has(['columns', index, 'nullable'])) {
      report(
        'PIPE1010',
        ['columns', index, 'nullable'],
        `column "${column.name}" is a primary key but says nullable: true`,
        {
          hint: 'primary key columns are never null: remove `nullable: true`',
        },
      );
    }
    if (typeof column.min === 'number' && typeof column.max === 'number' && column.min > column.max) {
      report(
        'PIPE1007',
        ['columns', index, 'min'],
        `column "${column.name}" has min ${column.min} above max ${column.max}`,
      );
    }
    if (
      column.minLength !== undefined &&
      column.maxLength !== undefined &&
      column.minLength > column.maxLength
    ) {
      report(
        'PIPE1007',
        ['columns', index, 'minLength'],
        `column "${column.name}" has minLength above maxLength`,
      );
    }
    if (column.pattern !== undefined) checkRegex(column.pattern, ['columns', index, 'pattern'], report);
  });

  checkQualityList(contract.quality, ['quality'], names, `contract "${contract.name}"`, report);
  if (contract.freshness) {
    checkColumn(
      contract.freshness.column,
      ['freshness', 'column'],
      names,
      `contract "${contract.name}"`,
      report,
    );
  }
  return issues;
}

/** pipectl.yaml: no secret written in a target, and `target:` names a target that exists. */
export function projectRules(project: Project, file: string, sourceMap: SourceMap): Issue[] {
  const issues: Issue[] = [];
  const report = reporter(file, sourceMap, issues);
  for (const [name, target] of Object.entries(project.targets ?? {})) {
    const values: [IssuePath, string | undefined][] = [
      ...(target.warehouse.kind === 'ducklake'
        ? ([
            [['warehouse', 'catalog'], target.warehouse.catalog],
            [['warehouse', 'dataPath'], target.warehouse.dataPath],
          ] as [IssuePath, string][])
        : []),
      [['temporal', 'address'], target.temporal?.address],
    ];
    for (const [path, value] of values) {
      const secret = value === undefined ? undefined : literalSecretOf(value);
      if (!secret) continue;
      report(
        'PIPE1030',
        ['targets', name, ...path],
        `target "${name}" writes a secret in pipectl.yaml (${secret}): secrets come from environment variables only`,
        {
          expected:
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax users write
            'password=${PGPASSWORD} (an environment variable), or no password (libpq reads PGPASSWORD and ~/.pgpass)',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax users write
          hint: 'replace the password with a `${VAR}` reference such as `password=${PGPASSWORD}`, set that variable where pipectl runs, and rotate the password that was written here',
        },
      );
    }
  }
  const lineage: [IssuePath, OpenLineageConfig | undefined][] = [
    [['openlineage'], project.openlineage],
    ...Object.entries(project.targets ?? {}).map(
      ([name, target]): [IssuePath, OpenLineageConfig | undefined] => [
        ['targets', name, 'openlineage'],
        target.openlineage,
      ],
    ),
  ];
  for (const [base, config] of lineage) {
    config?.transports.forEach((transport, index) => {
      if (transport.type === 'http') checkLineageHttp(transport, [...base, 'transports', index], report);
    });
  }
  if (project.target !== undefined) {
    const names = targetNames(project);
    if (!names.includes(project.target)) {
      const hint = didYouMean(project.target, names);
      report('PIPE1031', ['target'], `unknown target "${project.target}"${hint ? ` (${hint})` : ''}`, {
        expected: `one of: ${names.join(', ')}`,
        hint: 'name a target listed under `targets:`, or remove `target:` to use the top-level warehouse',
      });
    }
  }
  return issues;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An OpenLineage API URL is http(s) without credentials; the token is named by its variable, never written. */
function checkLineageHttp(
  transport: Extract<OpenLineageTransport, { type: 'http' }>,
  path: IssuePath,
  report: Report,
): void {
  const url = transport.url;
  // A `${VAR}` makes the URL known only where the target is used.
  if (!url.includes('${')) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      report('PIPE7020', [...path, 'url'], `OpenLineage transport URL "${url}" is not an http(s) URL`, {
        expected: 'the base URL of an OpenLineage API, e.g. http://localhost:5000 (Marquez)',
        hint: 'write the scheme, host and port; events are POSTed to <url>/<endpoint> (endpoint defaults to api/v1/lineage)',
      });
    } else if (parsed.password !== '' || /[?&](api[_-]?key|token|access_token)=/i.test(parsed.search)) {
      report(
        'PIPE7021',
        [...path, 'url'],
        'OpenLineage transport URL carries a credential: pipectl.yaml is committed',
        {
          expected: 'a URL without user:password@ or ?api_key=',
          hint: 'put the token in an environment variable, name it in `apiKeyEnv`, and rotate the one that was written here',
        },
      );
    }
  }
  if (transport.apiKeyEnv !== undefined && !ENV_NAME.test(transport.apiKeyEnv)) {
    report(
      'PIPE7021',
      [...path, 'apiKeyEnv'],
      'apiKeyEnv names the environment variable holding the token, not the token itself',
      {
        expected: 'an environment variable name, e.g. MARQUEZ_API_KEY',
        hint: 'set the token in a variable where the worker runs (a CI or Kubernetes secret), write its name here, and rotate the token if this value was one',
      },
    );
  }
}

export function pipelineRules(pipeline: Pipeline, file: string, sourceMap: SourceMap): Issue[] {
  const issues: Issue[] = [];
  const report = reporter(file, sourceMap, issues);

  duplicateNames(
    pipeline.sources.map((source) => source.name),
    (index, name) =>
      report(
        'PIPE1008',
        ['sources', index, 'name'],
        `source "${name}" is declared twice in pipeline "${pipeline.name}"`,
        {
          hint: 'rename or remove one of the two sources',
        },
      ),
  );
  duplicateNames(
    pipeline.steps.map((step) => step.name),
    (index, name) =>
      report(
        'PIPE1008',
        ['steps', index, 'name'],
        `step "${name}" is declared twice in pipeline "${pipeline.name}"`,
        {
          hint: 'rename or remove one of the two steps',
        },
      ),
  );

  pipeline.sources.forEach((source, index) => {
    if (source.kind !== 'postgres') return;
    if (source.table !== undefined && source.query !== undefined) {
      report(
        'PIPE1010',
        ['sources', index, 'query'],
        `postgres source "${source.name}" has both "table" and "query"`,
        {
          expected: 'table: public.orders  or  query: select ...',
          hint: 'keep one of them: "table" reads a whole table, "query" reads the rows a SELECT returns',
        },
      );
    } else if (source.table === undefined && source.query === undefined) {
      report('PIPE1010', ['sources', index], `postgres source "${source.name}" needs "table" or "query"`, {
        expected: 'table: public.orders  or  query: select ...',
        hint: 'add `table:` with the table to read, or `query:` with a SELECT',
      });
    }
  });

  pipeline.steps.forEach((step, index) => {
    if (step.sql !== undefined && step.sqlFile !== undefined) {
      report('PIPE1010', ['steps', index, 'sqlFile'], `step "${step.name}" has both "sql" and "sqlFile"`, {
        expected: 'sql: select ...  or  sqlFile: sql/step.sql',
        hint: 'keep one of them: "sql" holds the SELECT inline, "sqlFile" names a .sql file',
      });
    } else if (step.sql === undefined && step.sqlFile === undefined) {
      report('PIPE1010', ['steps', index], `step "${step.name}" has neither "sql" nor "sqlFile"`, {
        expected: 'sql: select ...  or  sqlFile: sql/step.sql',
        hint: 'add `sql:` with a SELECT, or `sqlFile:` with the path of a .sql file',
      });
    }
    // Gate columns are checked against the produced contract by the compiler, which knows it.
    checkQualityList(step.gates, ['steps', index, 'gates'], undefined, `step "${step.name}"`, report);
  });
  return issues;
}

/**
 * Errors that leave a document usable, so the compiler still resolves and types everything else
 * in it: checks that do not fit their column's type (PIPE1018), a schedule Temporal would refuse
 * (PIPE1016, PIPE1017).
 */
export function usableDocumentRules(document: PipectlDocument, sourceMap: SourceMap): Issue[] {
  const issues: Issue[] = [];
  const report = reporter(document.file, sourceMap, issues);
  if (document.kind === 'Contract') checkColumnTypes(document.value, report);
  if (document.kind === 'Pipeline' && document.value.schedule)
    checkSchedule(document.value.schedule, sourceMap, report);
  return issues;
}

/** PIPE1018 for every check of the contract that cannot judge its column's declared type. */
function checkColumnTypes(contract: Contract, report: Report): void {
  const typeOf = new Map(contract.columns.map((column) => [column.name, column.type]));
  const judge = (check: QualityCheck, path: IssuePath, columnPath: IssuePath = [...path, 'column']) => {
    if (!('column' in check) || check.column === undefined) return;
    const type = typeOf.get(check.column);
    const misfit = type === undefined ? undefined : checkColumnType(check, type);
    if (!misfit) return;
    report('PIPE1018', misfit.field ? [...path, misfit.field] : columnPath, misfit.message, {
      hint: misfit.hint,
    });
  };
  contract.quality.forEach((check, index) => {
    judge(check, ['quality', index]);
  });
  if (contract.freshness) {
    const { column, maxAge, severity } = contract.freshness;
    judge({ check: 'freshness', column, maxAge, severity, maxFailing: 0, samples: 5, onFail: 'fail' }, [
      'freshness',
    ]);
  }
  contract.columns.forEach((column, index) => {
    if (column.min === undefined && column.max === undefined) return;
    judge(
      {
        check: 'range',
        column: column.name,
        ...(column.min !== undefined ? { min: column.min } : {}),
        ...(column.max !== undefined ? { max: column.max } : {}),
        exclusive: false,
        severity: 'error',
        maxFailing: 0,
        samples: 5,
        onFail: 'fail',
      },
      ['columns', index],
      ['columns', index, 'type'],
    );
  });
}

/** PIPE1016 for a cron Temporal would refuse, PIPE1017 for an unknown time zone. */
function checkSchedule(
  schedule: NonNullable<Pipeline['schedule']>,
  sourceMap: SourceMap,
  report: Report,
): void {
  const at = (code: string, field: 'cron' | 'timezone', problem: ScheduleProblem) => {
    const path = ['schedule', field];
    report(code, path, problem.message, {
      hint: problem.hint,
      ...(sourceMap.has(path) ? { span: sourceMap.spanInScalar(path, problem.offset, problem.length) } : {}),
    });
  };
  const cron = checkCron(schedule.cron);
  if (cron) at('PIPE1016', 'cron', cron);
  const zone = checkTimeZone(schedule.timezone);
  if (zone) at('PIPE1017', 'timezone', zone);
}

/** The length of the word (or the one character) at `offset`, so a caret marks a whole token. */
function tokenLength(text: string, offset: number): number {
  const match = /^[A-Za-z0-9_]+/.exec(text.slice(offset));
  return match ? match[0].length : 1;
}

/** Checks a list of quality checks; `columns` is the set to check names against, when known here. */
export function checkQualityList(
  checks: readonly QualityCheck[],
  path: IssuePath,
  columns: readonly string[] | undefined,
  owner: string,
  report: Report,
): void {
  duplicateNames(
    checks.map((check) => check.name),
    (index, name) =>
      report('PIPE1008', [...path, index, 'name'], `quality check "${name}" is declared twice in ${owner}`, {
        hint: 'give each check its own name',
      }),
  );
  checks.forEach((check, index) => {
    const at = [...path, index];
    if (check.check === 'unique' && (check.column === undefined) === (check.columns === undefined)) {
      report(
        'PIPE1010',
        at,
        check.column === undefined
          ? 'a unique check needs "column" or "columns"'
          : 'a unique check has both "column" and "columns"',
        { hint: 'use "column" for one column, "columns" for a combination that is unique together' },
      );
    }
    if (
      check.check === 'row_count' &&
      check.min !== undefined &&
      check.max !== undefined &&
      check.min > check.max
    ) {
      report('PIPE1007', [...at, 'min'], `row_count min ${check.min} is above max ${check.max}`);
    }
    if (check.check === 'pattern') checkRegex(check.regex, [...at, 'regex'], report);
    if (!columns) return;
    if ('column' in check && check.column !== undefined)
      checkColumn(check.column, [...at, 'column'], columns, owner, report);
    if (check.check === 'unique' && check.columns) {
      check.columns.forEach((name, i) => {
        checkColumn(name, [...at, 'columns', i], columns, owner, report);
      });
    }
  });
}

export function checkColumn(
  name: string,
  path: IssuePath,
  columns: readonly string[],
  owner: string,
  report: Report,
): void {
  if (columns.includes(name)) return;
  const known = [...new Set(columns)];
  const hint = didYouMean(name, known);
  report('PIPE1011', path, `unknown column "${name}" in ${owner}`, {
    expected: `one of: ${known.join(', ')}`,
    hint: hint ?? 'name a column declared under `columns`',
  });
}

function checkRegex(pattern: string, path: IssuePath, report: Report): void {
  try {
    new RegExp(pattern);
  } catch (error) {
    report(
      'PIPE1007',
      path,
      `the regular expression ${JSON.stringify(pattern)} does not compile: ${(error as Error).message}`,
    );
  }
}

/** Calls `onDuplicate` for every later occurrence of a name already seen (unnamed entries skipped). */
function duplicateNames(
  names: readonly (string | undefined)[],
  onDuplicate: (index: number, name: string) => void,
): void {
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (name === undefined) return;
    if (seen.has(name)) onDuplicate(index, name);
    seen.add(name);
  });
}
