// References between documents that need the whole project: a column's `references`, the `to`
// of relationships checks, and step gates and merge keys naming columns of the produced contract.
import {
  checkColumn,
  didYouMean,
  type Issue,
  type IssuePath,
  type PipelineDocument,
  type QualityCheck,
  type SourceMap,
} from '@pipectl/spec';
import { documentIssue } from './issue-builders.js';
import type { ProjectIndex } from './project-index.js';

export function checkReferences(index: ProjectIndex, issues: Issue[]): void {
  for (const contract of index.contracts.values()) {
    contract.value.columns.forEach((column, i) => {
      if (column.references !== undefined)
        checkColumnRef(column.references, ['columns', i, 'references'], contract, index, issues);
    });
    checkRelationships(contract.value.quality, ['quality'], contract, index, issues);
  }
  for (const pipeline of index.pipelines.values()) {
    pipeline.value.steps.forEach((step, i) => {
      checkRelationships(step.gates, ['steps', i, 'gates'], pipeline, index, issues);
      const columns = index.contracts.get(step.produces)?.value.columns.map((column) => column.name);
      if (!columns) return;
      checkGateColumns(pipeline, i, columns, issues);
    });
  }
}

/**
 * Resolves `schema.table.column`: PIPE2003 when the contract is unknown, PIPE2008 when the column is.
 * @example checkColumnRef('sales.customers.id', ['columns', 1, 'references'], contract, index, issues)
 */
export function checkColumnRef(
  ref: string,
  path: IssuePath,
  document: { readonly file: string; readonly sourceMap: SourceMap },
  index: ProjectIndex,
  issues: Issue[],
): void {
  const dot = ref.lastIndexOf('.');
  const dataset = ref.slice(0, dot);
  const column = ref.slice(dot + 1);
  if (index.unloadedContracts.has(dataset)) return;
  const columns = index.columns.get(dataset);
  if (!columns) {
    const hint = didYouMean(dataset, [...index.contracts.keys(), ...index.unloadedContracts]);
    issues.push(
      documentIssue(
        document,
        'PIPE2003',
        path,
        `"${ref}" refers to contract "${dataset}", which does not exist`,
        {
          hint: hint ?? 'name an existing contract as "schema.table.column"',
        },
      ),
    );
    return;
  }
  if (columns.has(column.toLowerCase())) return;
  const names = [...columns.values()].map((c) => c.name);
  issues.push(
    documentIssue(
      document,
      'PIPE2008',
      path,
      `"${ref}" refers to column "${column}", which contract "${dataset}" does not declare`,
      {
        expected: `one of: ${names.map((name) => `${dataset}.${name}`).join(', ')}`,
        hint: didYouMean(column, names) ?? `name a column of "${dataset}"`,
      },
    ),
  );
}

function checkRelationships(
  checks: readonly QualityCheck[],
  path: IssuePath,
  document: { readonly file: string; readonly sourceMap: SourceMap },
  index: ProjectIndex,
  issues: Issue[],
): void {
  checks.forEach((check, i) => {
    if (check.check === 'relationships')
      checkColumnRef(check.to, [...path, i, 'to'], document, index, issues);
  });
}

/** Gate columns and the merge key name columns of the produced contract (checkColumn from spec). */
function checkGateColumns(
  pipeline: PipelineDocument,
  stepIndex: number,
  columns: readonly string[],
  issues: Issue[],
): void {
  const step = pipeline.value.steps[stepIndex];
  if (!step) return;
  const owner = `contract "${step.produces}" (produced by step "${step.name}")`;
  const report = (code: string, path: IssuePath, message: string, extra: Partial<Issue> = {}): void => {
    issues.push({
      code,
      severity: 'error',
      message,
      file: pipeline.file,
      path,
      span: pipeline.sourceMap.spanOf(path),
      ...extra,
    });
  };
  step.gates.forEach((gate, g) => {
    const at = ['steps', stepIndex, 'gates', g];
    if ('column' in gate && gate.column !== undefined) {
      checkColumn(gate.column, [...at, 'column'], columns, owner, report);
    }
    if (gate.check === 'unique' && gate.columns) {
      for (const [c, name] of gate.columns.entries())
        checkColumn(name, [...at, 'columns', c], columns, owner, report);
    }
  });
  for (const [k, name] of (step.uniqueKey ?? []).entries()) {
    checkColumn(name, ['steps', stepIndex, 'uniqueKey', k], columns, owner, report);
  }
}
