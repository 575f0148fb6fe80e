// Resolves the template calls of each step's SQL: `ref('x')` to a step of the same pipeline or to
// a produced dataset, `source('x')` to a source of the same pipeline. Renders the SQL with quoted
// relations and records which datasets each step reads, which is what ordering and lineage need.
import { didYouMean, type Issue, type PipelineDocument, type Step } from '@pipectl/spec';
import type { LineageInput } from '../lineage/column-lineage.js';
import { type LoadedProject, type StepSql, stepKey } from '../load/load-project.js';
import {
  type RenderedSql,
  relationOf,
  renderTemplate,
  scanTemplate,
  type TemplateCall,
} from '../sql/sql-template.js';
import { issue, type SqlPlace, sqlPlace } from './issue-builders.js';
import type { Producer, ProjectIndex } from './project-index.js';

export interface StepInput {
  readonly fn: 'ref' | 'source';
  /** The argument as written. */
  readonly name: string;
  /** The dataset read; undefined when the call did not resolve. */
  readonly dataset: string | undefined;
  /** Who produces that dataset, if anyone does. */
  readonly producer: Producer | undefined;
  /** Offset of the argument in the step's SQL text, to place issues. */
  readonly offset: number;
}

export interface ResolvedStep {
  /** `pipeline/step`. */
  readonly key: string;
  readonly pipeline: PipelineDocument;
  readonly index: number;
  readonly step: Step;
  readonly sql: StepSql | undefined;
  readonly place: SqlPlace | undefined;
  /** The SQL with relations substituted; undefined when there is no SQL or its template is broken. */
  readonly rendered: RenderedSql | undefined;
  readonly inputs: readonly StepInput[];
  /** Inputs by the offset of their relation in `rendered.text`, for the lineage walk. */
  readonly inputsAt: ReadonlyMap<number, LineageInput>;
}

export function resolveSteps(loaded: LoadedProject, index: ProjectIndex, issues: Issue[]): ResolvedStep[] {
  const resolved: ResolvedStep[] = [];
  for (const pipeline of index.pipelines.values()) {
    const stepsByName = new Map(pipeline.value.steps.map((step, i) => [step.name, { step, i }]));
    const sourcesByName = new Map(pipeline.value.sources.map((source) => [source.name, source]));
    pipeline.value.steps.forEach((step, i) => {
      const key = stepKey(pipeline.value.name, step.name);
      const sql = loaded.sql.get(key);
      const base = { key, pipeline, index: i, step, sql };
      if (!sql) {
        resolved.push({ ...base, place: undefined, rendered: undefined, inputs: [], inputsAt: new Map() });
        return;
      }
      const place = sqlPlace(pipeline, i, sql);
      const scanned = scanTemplate(sql.text);
      for (const problem of scanned.problems) {
        issues.push(
          issue('PIPE3008', `${problem.message} in step "${step.name}"`, place.at(problem.offset), {
            hint: problem.hint,
          }),
        );
      }

      const scope: CallScope = { pipeline, step, index, stepsByName, sourcesByName, place, issues };
      const inputs = scanned.calls.map((call) => resolveCall(call, scope));
      if (scanned.problems.length > 0) {
        resolved.push({ ...base, place, rendered: undefined, inputs, inputsAt: new Map() });
        return;
      }
      const rendered = renderTemplate(
        sql.text,
        scanned.calls,
        inputs.map((input, n) =>
          input.dataset === undefined ? `"pipectl_unresolved"."input_${n}"` : relationOf(input.dataset),
        ),
      );
      const inputsAt = new Map<number, LineageInput>();
      inputs.forEach((input, n) => {
        const columns =
          input.dataset === undefined ? undefined : index.contracts.get(input.dataset)?.value.columns;
        inputsAt.set(rendered.callOffsets[n] as number, {
          ...(input.dataset !== undefined ? { dataset: input.dataset } : {}),
          ...(columns ? { columns: columns.map((column) => column.name) } : {}),
        });
      });
      resolved.push({ ...base, place, rendered, inputs, inputsAt });
    });
  }
  return resolved;
}

/** What a template call of one step resolves against, and where its issues go. */
interface CallScope {
  readonly pipeline: PipelineDocument;
  readonly step: Step;
  readonly index: ProjectIndex;
  readonly stepsByName: ReadonlyMap<string, { step: Step; i: number }>;
  readonly sourcesByName: ReadonlyMap<string, { contract: string }>;
  readonly place: SqlPlace;
  readonly issues: Issue[];
}

/** A `ref()` or `source()` call as the input it reads; an issue when it names nothing readable. */
function resolveCall(call: TemplateCall, scope: CallScope): StepInput {
  const dataset = call.fn === 'source' ? resolveSource(call, scope) : resolveRef(call, scope);
  return {
    fn: call.fn,
    name: call.name,
    dataset,
    producer: dataset === undefined ? undefined : scope.index.producers.get(dataset),
    offset: call.nameOffset,
  };
}

/** The dataset a `source('x')` call reads: the contract of the pipeline's source x (PIPE2005 when none). */
function resolveSource(call: TemplateCall, scope: CallScope): string | undefined {
  const { pipeline, step, index, stepsByName, sourcesByName } = scope;
  const source = sourcesByName.get(call.name);
  if (source) return source.contract;
  const asRef = stepsByName.has(call.name) || index.producers.has(call.name);
  scope.issues.push(
    issue(
      'PIPE2005',
      `unknown source('${call.name}') in step "${step.name}": pipeline "${pipeline.value.name}" has no source of this name`,
      // Placed only when an issue needs it: a place parses the file's positions (fast-parse.ts).
      scope.place.at(call.nameOffset),
      {
        hint:
          didYouMean(call.name, sourcesByName.keys()) ??
          (asRef
            ? `"${call.name}" is a step or dataset: read it with {{ ref('${call.name}') }}`
            : undefined) ??
          (sourcesByName.size > 0
            ? `the sources are: ${[...sourcesByName.keys()].join(', ')}`
            : 'declare it under `sources`'),
      },
    ),
  );
  return undefined;
}

/** The dataset a `ref('x')` call reads: a sibling step's output or a produced dataset (PIPE2004 when neither). */
function resolveRef(call: TemplateCall, scope: CallScope): string | undefined {
  const { pipeline, step, index, stepsByName, sourcesByName } = scope;
  const sibling = stepsByName.get(call.name);
  if (sibling) return sibling.step.produces;
  if (index.producers.has(call.name)) return call.name;
  if (index.unloadedContracts.has(call.name)) return undefined;
  if (index.contracts.has(call.name)) {
    scope.issues.push(
      issue(
        'PIPE2004',
        `ref('${call.name}') in step "${step.name}": no step or source produces dataset "${call.name}"`,
        scope.place.at(call.nameOffset),
        {
          hint: `land it with a source and read it with {{ source('...') }}, or add a step that produces it`,
        },
      ),
    );
    return call.name;
  }
  const candidates = [...stepsByName.keys(), ...index.producers.keys()];
  scope.issues.push(
    issue(
      'PIPE2004',
      `unknown ref('${call.name}') in step "${step.name}": it is neither a step of pipeline "${pipeline.value.name}" nor a produced dataset`,
      scope.place.at(call.nameOffset),
      {
        hint:
          didYouMean(call.name, candidates) ??
          (sourcesByName.has(call.name)
            ? `"${call.name}" is a source: read it with {{ source('${call.name}') }}`
            : undefined) ??
          'ref() takes a step name of this pipeline or a dataset name "schema.table"',
      },
    ),
  );
  return undefined;
}
