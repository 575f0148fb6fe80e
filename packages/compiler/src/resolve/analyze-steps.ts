// Parses every step's SQL in one batch, keeps only single SELECTs, traces column lineage and
// checks each step's output columns against the contract it produces.
import { type Column, didYouMean, type Issue } from '@pipectl/spec';
import { analyzeSelect, type SelectLineage } from '../lineage/column-lineage.js';
import type { ParsedSql, SqlAstNode, SqlParser } from '../sql/sql-parser.js';
import type { RenderedSql } from '../sql/sql-template.js';
import { forbiddenTableFunctions } from '../sql/table-functions.js';
import { firstContentOffset } from '../sql/text-position.js';
import { tableFunctionIssue } from './check-sql-access.js';
import { issue, type SqlPlace } from './issue-builders.js';
import type { ProjectIndex } from './project-index.js';
import type { ResolvedStep } from './resolve-step-sql.js';

/** A step whose SQL rendered, with what issues need to point into it. */
interface RenderedStep {
  readonly resolved: ResolvedStep;
  readonly rendered: RenderedSql;
  readonly place: SqlPlace;
  readonly text: string;
}

/** Lineage of each step whose SQL is one SELECT, by `pipeline/step`. */
export async function analyzeSteps(
  steps: readonly ResolvedStep[],
  index: ProjectIndex,
  parser: SqlParser,
  issues: Issue[],
): Promise<Map<string, SelectLineage>> {
  const renderedSteps = steps.flatMap((resolved): RenderedStep[] => {
    const { rendered, place, sql } = resolved;
    return rendered && place && sql ? [{ resolved, rendered, place, text: sql.text }] : [];
  });
  const parsed = await parser.parse(renderedSteps.map((step) => step.rendered.text));
  const datasetNamed = (name: string): string | undefined => (index.contracts.has(name) ? name : undefined);

  const lineages = new Map<string, SelectLineage>();
  renderedSteps.forEach((step, n) => {
    const result = parsed[n];
    // PIPE3011 says more than the lineage warning at the same call, which is left out.
    const refused = new Set<number | undefined>();
    if (result?.ok) {
      for (const call of forbiddenTableFunctions(result.statements, step.rendered.text)) {
        refused.add(call.offset);
        issues.push(
          tableFunctionIssue(call, `step "${step.resolved.step.name}"`, placeAt(step, call.offset)),
        );
      }
    }
    const statement = singleSelect(step, result, issues);
    if (!statement) return;
    const { resolved, rendered } = step;
    const lineage = analyzeSelect(statement, {
      sql: rendered.text,
      inputsAt: resolved.inputsAt,
      subject: `step "${resolved.step.name}"`,
      datasetNamed,
    });
    lineages.set(resolved.key, lineage);
    for (const problem of lineage.problems) {
      if (problem.code === 'PIPE3007' && refused.has(problem.offset)) continue;
      issues.push(
        issue(problem.code, problem.message, placeAt(step, problem.offset), {
          hint: problem.hint,
          severity: problem.code === 'PIPE3007' ? 'warning' : 'error',
        }),
      );
    }
    const contract = index.contracts.get(resolved.step.produces);
    if (contract && lineage.complete) checkOutputColumns(step, lineage, contract.value.columns, issues);
  });
  return lineages;
}

/** The one SELECT statement of a step, or undefined after reporting PIPE3001 or PIPE3006. */
function singleSelect(
  step: RenderedStep,
  result: ParsedSql | undefined,
  issues: Issue[],
): SqlAstNode | undefined {
  if (!result) return undefined;
  const name = step.resolved.step.name;
  if (!result.ok && result.errorType === 'not implemented') {
    const keyword = firstKeyword(step.text);
    const what = keyword
      ? `${/^[AEIOU]/.test(keyword) ? 'an' : 'a'} ${keyword} statement, not a SELECT`
      : 'not a SELECT';
    issues.push(
      issue('PIPE3006', `the SQL of step "${name}" is ${what}`, placeAt(step, undefined), {
        expected: 'one SELECT statement (WITH ... SELECT, UNION and subqueries are fine)',
        hint: 'a step only reads: pipectl creates and replaces its table from the SELECT',
      }),
    );
    return undefined;
  }
  if (!result.ok) {
    // DuckDB quotes the relation it saw; say which template call that relation came from.
    const call = result.position === undefined ? undefined : step.rendered.callAt(result.position);
    const near = call ? ` (the relation of {{ ${call.fn}('${call.name}') }})` : '';
    issues.push(
      issue(
        'PIPE3001',
        `the SQL of step "${name}" does not parse: ${result.message}${near}`,
        placeAt(step, result.position),
        {
          hint: 'fix the SQL at this position',
        },
      ),
    );
    return undefined;
  }
  if (result.statements.length !== 1) {
    issues.push(
      issue(
        'PIPE3006',
        `the SQL of step "${name}" holds ${result.statements.length} statements; a step is exactly one SELECT`,
        placeAt(step, undefined),
        {
          expected: 'one SELECT statement',
          hint: 'split it into several steps, or join the queries with CTEs',
        },
      ),
    );
    return undefined;
  }
  return result.statements[0];
}

/** The SELECT's columns equal the contract's by name (any order): PIPE3004, PIPE3005, PIPE3010. */
function checkOutputColumns(
  step: RenderedStep,
  lineage: SelectLineage,
  columns: readonly Column[],
  issues: Issue[],
): void {
  const { name, produces } = step.resolved.step;
  const declared = new Set(columns.map((column) => column.name.toLowerCase()));
  const selected = new Set(lineage.columns.map((column) => column.name?.toLowerCase()));
  const missing = columns.filter((column) => !selected.has(column.name.toLowerCase()));

  const seen = new Set<string>();
  lineage.columns.forEach((column, position) => {
    const key = column.name?.toLowerCase();
    if (key !== undefined && seen.has(key)) {
      issues.push(
        issue(
          'PIPE3005',
          `step "${name}" outputs column "${column.name}" twice; DuckDB would name the second "${column.name}_1"`,
          placeAt(step, column.offset),
          { hint: 'select each contract column once: drop or rename one of the two' },
        ),
      );
      return;
    }
    if (key !== undefined) seen.add(key);
    if (column.name === undefined) {
      const only = missing.length === 1 ? missing[0]?.name : undefined;
      issues.push(
        issue(
          'PIPE3010',
          `output column ${position + 1} of step "${name}" is an expression without a name`,
          placeAt(step, column.offset),
          {
            hint: only ? `name it: ... AS ${only}` : 'name it with AS, after the contract column it fills',
          },
        ),
      );
    } else if (!declared.has(column.name.toLowerCase())) {
      const hint = didYouMean(
        column.name,
        missing.map((c) => c.name),
      );
      issues.push(
        issue(
          'PIPE3005',
          `step "${name}" outputs column "${column.name}", which contract "${produces}" does not declare`,
          placeAt(step, column.offset),
          { hint: hint ?? `add "${column.name}" to contract "${produces}" or drop it from the SELECT` },
        ),
      );
    }
  });

  for (const column of missing) {
    issues.push(
      issue(
        'PIPE3004',
        `step "${name}" does not select column "${column.name}" of contract "${produces}"`,
        placeAt(step, undefined),
        {
          hint: `select it, or fill it explicitly: CAST(NULL AS ${column.type}) AS ${column.name}`,
        },
      ),
    );
  }
}

/** Where an offset of the rendered SQL is in the author's text; the SQL's start when unknown. */
function placeAt(step: RenderedStep, renderedOffset: number | undefined) {
  const offset =
    renderedOffset === undefined
      ? firstContentOffset(step.text)
      : step.rendered.toTemplateOffset(renderedOffset);
  return step.place.at(offset);
}

/** The statement's first keyword, upper-cased, skipping comments: `INSERT`, `CREATE`, ... */
function firstKeyword(sql: string): string | undefined {
  const code = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  return /^\s*([A-Za-z]+)/.exec(code)?.[1]?.toUpperCase();
}
