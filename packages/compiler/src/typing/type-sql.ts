// Compile-time typing: every step's SELECT and every `sql` check is bound by DuckDB against empty
// relations with the declared columns of every contract, in one database and one batch, before
// any data exists. What DuckDB refuses (unknown function, table or column, a type error) is a
// located error; what it accepts is compared with the produced contract by the engine's own rule
// (storageType: the engine publishes only outputs whose storage types equal the contract's), so
// `validate` reports exactly the mismatches a run would refuse. Step gates are also checked for
// fitting their column's type (PIPE1018), as contracts' own checks are by the spec.
import {
  type Column,
  checkColumnType,
  type Issue,
  type IssueCode,
  type IssuePath,
  parseDataType,
  storageType,
} from '@pipectl/spec';
import type { SelectLineage } from '../lineage/column-lineage.js';
import type { LoadedProject } from '../load/load-project.js';
import { documentIssue, issue } from '../resolve/issue-builders.js';
import type { ProjectIndex } from '../resolve/project-index.js';
import type { ResolvedStep } from '../resolve/resolve-step-sql.js';
import type { BindSession, BoundSql, RelationSchema } from '../sql/sql-binder.js';
import { relationOf } from '../sql/sql-template.js';
import { firstContentOffset } from '../sql/text-position.js';
import { losslessCast } from './lossless-cast.js';

type Place = Pick<Issue, 'file' | 'path' | 'span'>;

/** One query to bind, and how to report what DuckDB says about it. */
interface Typed {
  readonly text: string;
  readonly subject: string;
  /** Place of an offset of `text` in the author's file. */
  readonly placeAt: (offset: number | undefined) => Place;
  readonly onBound?: (columns: readonly { name: string; type: string }[]) => void;
}

const THIS = /\{\{\s*this\s*\}\}/g;

/**
 * The relations the queries can read, as empty tables with their contracts' declared columns:
 * every dataset a step reads through ref()/source(), every dataset a `sql` check tests, and every
 * dataset a `sql` check names (checks may read other datasets). Creating only these keeps typing
 * cheap in large projects, where many datasets are read by nothing in the project.
 */
export function relationsRead(
  loaded: LoadedProject,
  index: ProjectIndex,
  steps: readonly ResolvedStep[],
): RelationSchema[] {
  const read = new Set<string>();
  for (const step of steps) for (const input of step.inputs) if (input.dataset) read.add(input.dataset);
  const checks = sqlCheckQueries(loaded);
  for (const { tested } of checks) read.add(tested);
  const named = datasetsNamedIn(
    index,
    checks.map((check) => check.query),
  );
  for (const dataset of named) read.add(dataset);
  const relations: RelationSchema[] = [];
  for (const dataset of read) {
    const contract = index.contracts.get(dataset);
    if (!contract || !typable(index, dataset)) continue;
    relations.push({ dataset, columns: contract.value.columns });
  }
  return relations;
}

/** Every `sql` check of a contract or a step gate: the dataset it tests and its lower-cased query. */
function sqlCheckQueries(loaded: LoadedProject): { tested: string; query: string }[] {
  const checks: { tested: string; query: string }[] = [];
  for (const contract of loaded.contracts)
    for (const check of contract.value.quality)
      if (check.check === 'sql')
        checks.push({ tested: contract.value.name, query: check.query.toLowerCase() });
  for (const pipeline of loaded.pipelines)
    for (const step of pipeline.value.steps)
      for (const check of step.gates)
        if (check.check === 'sql') checks.push({ tested: step.produces, query: check.query.toLowerCase() });
  return checks;
}

/** The contracted datasets whose table name appears in any of the (lower-cased) queries. */
function datasetsNamedIn(index: ProjectIndex, queries: readonly string[]): string[] {
  if (queries.length === 0) return [];
  return [...index.contracts.keys()].filter((dataset) => {
    const table = dataset.split('.').pop()?.toLowerCase() ?? dataset;
    return queries.some((query) => query.includes(table));
  });
}

/**
 * Whether typing has a relation for the dataset: its contract loaded and every column type parses.
 * A query reading one that has not would only repeat, as "table does not exist", the error that
 * already explains why (an unloaded contract, a bad type).
 */
function typable(index: ProjectIndex, dataset: string): boolean {
  const contract = index.contracts.get(dataset);
  return contract?.value.columns.every((column) => parseDataType(column.type).ok) === true;
}

/** Binds every step and `sql` check that has no error yet; pushes what it finds into `issues`. */
export async function typeSql(
  loaded: LoadedProject,
  index: ProjectIndex,
  steps: readonly ResolvedStep[],
  lineages: ReadonlyMap<string, SelectLineage>,
  session: BindSession,
  issues: Issue[],
): Promise<void> {
  checkGateColumnTypes(index, issues);
  const failed = errorPlaces(issues);
  const typed: Typed[] = [];
  for (const step of steps) {
    const lineage = lineages.get(step.key);
    const { rendered, place, sql } = step;
    if (!lineage || !rendered || !place || !sql) continue;
    if (step.inputs.some((input) => input.dataset === undefined || !typable(index, input.dataset))) continue;
    if (failed.has(placeKey(place))) continue;
    const contract = index.contracts.get(step.step.produces);
    const placeAt = (offset: number | undefined) =>
      place.at(offset === undefined ? firstContentOffset(sql.text) : rendered.toTemplateOffset(offset));
    typed.push({
      text: rendered.text,
      subject: `step "${step.step.name}"`,
      placeAt,
      onBound: (columns) => {
        if (contract) compareOutput(step, lineage, columns, contract.value.columns, placeAt, issues);
      },
    });
  }
  typed.push(...sqlChecks(loaded, index, failed));
  if (typed.length === 0) return;

  const bound = await session.bind(typed.map((query) => query.text));
  typed.forEach((query, n) => {
    const result = bound[n];
    if (!result) return;
    if (result.ok) query.onBound?.(result.columns);
    else reportBindError(query, result, issues);
  });
}

/** PIPE3012 for each output column whose storage type is not the contract's. */
function compareOutput(
  step: ResolvedStep,
  lineage: SelectLineage,
  columns: readonly { name: string; type: string }[],
  declared: readonly Column[],
  placeAt: (offset: number | undefined) => Place,
  issues: Issue[],
): void {
  const byName = new Map(declared.map((column) => [column.name.toLowerCase(), column]));
  const offsets = new Map(lineage.columns.map((column) => [column.name?.toLowerCase(), column.offset]));
  for (const output of columns) {
    const column = byName.get(output.name.toLowerCase());
    if (!column) continue;
    const produced = storageType(output.type);
    const wanted = storageType(column.type);
    if (produced === wanted) continue;
    const from = parseDataType(output.type);
    const to = parseDataType(column.type);
    const lossless = from.ok && to.ok && losslessCast(from.type, to.type);
    const contract = step.step.produces;
    issues.push(
      issue(
        'PIPE3012',
        `column "${column.name}" of step "${step.step.name}" is ${produced} (DuckDB: ${output.type}), but contract "${contract}" declares ${column.type}; ${
          lossless
            ? `a cast to ${column.type} is lossless`
            : `a cast to ${column.type} is not lossless (${
                produced === 'timestamptz' || wanted === 'timestamptz'
                  ? 'it converts the instant through the session time zone'
                  : 'values may fail the cast, or be rounded'
              })`
        }`,
        placeAt(
          offsets.get(output.name.toLowerCase()) ?? aliasOffset(step.rendered?.text ?? '', output.name),
        ),
        {
          expected: `${column.type} (contract "${contract}")`,
          hint: `cast to ${column.type} in the SELECT: CAST(... AS ${column.type}) AS ${column.name}, or declare ${produced} in contract "${contract}"`,
        },
      ),
    );
  }
}

/** Where `AS name` is written, when lineage did not place the column. */
function aliasOffset(sql: string, name: string): number | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`\\bas\\s+"?${escaped}"?\\b`, 'i').exec(sql);
  return match ? match.index + match[0].length - name.length - (match[0].endsWith('"') ? 1 : 0) : undefined;
}

function reportBindError(query: Typed, result: Extract<BoundSql, { ok: false }>, issues: Issue[]): void {
  // The sandbox (PIPE3011) already refused reads outside the project; DuckDB says it again here.
  if (/disabled by configuration|Permission Error/i.test(`${result.errorType} ${result.message}`)) return;
  const [code, hint] = classify(result);
  issues.push(
    issue(code, `${query.subject}: ${result.message}`, wholeToken(query, result.position), { hint }),
  );
}

/** The place of the word at `position`, spanning all of it so the caret marks the whole name. */
function wholeToken(query: Typed, position: number | undefined): Place {
  const place = query.placeAt(position);
  if (position === undefined || !place.span) return place;
  const word = /^[A-Za-z0-9_]+|^"[^"\n]*"/.exec(query.text.slice(position));
  const length = word ? word[0].length : 1;
  const { span } = place;
  return span.endLine === span.line ? { ...place, span: { ...span, endCol: span.col + length } } : place;
}

function classify(result: Extract<BoundSql, { ok: false }>): [IssueCode, string] {
  const { errorType, message } = result;
  if (errorType === 'Parser') return ['PIPE3001', 'fix the SQL at this position'];
  if (/^(Table|Schema) with name .* does not exist/.test(message))
    return [
      'PIPE3002',
      "read inputs through {{ ref('...') }} or {{ source('...') }}; {{ this }} is the relation under test",
    ];
  if (/Referenced column .* not found|does not have a column named/.test(message))
    return ['PIPE3003', "use a column the input's contract declares, or add it to that contract"];
  if (/(Scalar|Aggregate|Table) Function with name .* does not exist|No function matches/.test(message))
    return ['PIPE3013', 'correct the function name, or cast the arguments to the types it takes'];
  return ['PIPE3014', 'fix the SQL at this position'];
}

/** Every `sql` check of contracts and step gates, with `{{ this }}` as the dataset under test. */
function sqlChecks(loaded: LoadedProject, index: ProjectIndex, failed: ReadonlySet<string>): Typed[] {
  const typed: Typed[] = [];
  const add = (
    document: LoadedProject['contracts'][number] | LoadedProject['pipelines'][number],
    path: IssuePath,
    query: string,
    dataset: string,
    subject: string,
  ) => {
    if (!typable(index, dataset)) return;
    const at = (offset: number): Place => ({
      file: document.file,
      path,
      span: document.sourceMap.spanInScalar(path, offset),
    });
    if (failed.has(placeKey(at(0)))) return;
    const rendered = renderThis(query, relationOf(dataset));
    typed.push({
      text: rendered.text,
      subject,
      placeAt: (offset) => at(offset === undefined ? firstContentOffset(query) : rendered.toOriginal(offset)),
    });
  };
  for (const contract of loaded.contracts) {
    contract.value.quality.forEach((check, n) => {
      if (check.check !== 'sql') return;
      add(
        contract,
        ['quality', n, 'query'],
        check.query,
        contract.value.name,
        `the sql check ${n + 1} of contract "${contract.value.name}"`,
      );
    });
  }
  for (const pipeline of loaded.pipelines) {
    pipeline.value.steps.forEach((step, s) => {
      step.gates.forEach((check, n) => {
        if (check.check !== 'sql') return;
        add(
          pipeline,
          ['steps', s, 'gates', n, 'query'],
          check.query,
          step.produces,
          `the sql gate ${n + 1} of step "${step.name}"`,
        );
      });
    });
  }
  return typed;
}

/** PIPE1018 for step gates that cannot judge their column's type in the produced contract. */
function checkGateColumnTypes(index: ProjectIndex, issues: Issue[]): void {
  for (const pipeline of index.pipelines.values()) {
    pipeline.value.steps.forEach((step, s) => {
      const columns = index.columns.get(step.produces);
      if (!columns) return;
      step.gates.forEach((check, n) => {
        if (!('column' in check) || check.column === undefined) return;
        const column = columns.get(check.column.toLowerCase());
        const misfit = column && checkColumnType(check, column.type);
        if (!misfit) return;
        const path = ['steps', s, 'gates', n, misfit.field ?? 'column'];
        issues.push(documentIssue(pipeline, 'PIPE1018', path, misfit.message, { hint: misfit.hint }));
      });
    });
  }
}

/** `{{ this }}` replaced by `relation`, with a map back to the author's offsets. */
function renderThis(query: string, relation: string): { text: string; toOriginal(offset: number): number } {
  const spans: { at: number; start: number; end: number }[] = [];
  let text = '';
  let cursor = 0;
  for (const match of query.matchAll(THIS)) {
    const start = match.index ?? 0;
    text += query.slice(cursor, start);
    spans.push({ at: text.length, start, end: start + match[0].length });
    text += relation;
    cursor = start + match[0].length;
  }
  text += query.slice(cursor);
  return {
    text,
    toOriginal(offset) {
      let shift = 0;
      for (const span of spans) {
        if (offset < span.at) break;
        if (offset < span.at + relation.length) return span.start;
        shift += span.end - span.start - relation.length;
      }
      return offset + shift;
    },
  };
}

/** `file|path` of every place that already has an error, so one mistake is reported once. */
function errorPlaces(issues: readonly Issue[]): Set<string> {
  const places = new Set<string>();
  for (const found of issues) {
    if (found.severity !== 'error') continue;
    places.add(placeKey(found));
  }
  return places;
}

function placeKey(place: Pick<Issue, 'file' | 'path'>): string {
  return `${place.file ?? ''}|${place.path.join('.')}`;
}
