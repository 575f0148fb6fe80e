// The facets of a dataset, from its contract as compiled: `schema` (columns and types),
// `ownership` (the contract's owner), `documentation` (its description) and, on a step's output,
// `columnLineage` (which input columns each output column comes from, traced by the compiler
// through the step's SQL).
import type { DatasetPlan, StepPlan } from '@pipectl/compiler';
import {
  type ColumnLineageFacet,
  type DatasetFacets,
  type DocumentationFacet,
  facet,
  type InputField,
  type OwnershipFacet,
  SCHEMA_URLS,
  type SchemaFacet,
} from '../model/openlineage-event.js';

/** What documents a dataset beyond its plan: the contract's descriptions (a `Contract` fits). */
export interface DatasetDocs {
  readonly description?: string | undefined;
  readonly columns: readonly { readonly name: string; readonly description?: string | undefined }[];
}

/** Where the events are: namespaces, and what the compiler knows of every dataset. */
export interface LineageContext {
  /** Namespace of the jobs (the project name, or the configured one). */
  readonly namespace: string;
  /** Namespace of the datasets: the warehouse they live in. */
  readonly datasetNamespace: string;
  readonly datasets: ReadonlyMap<string, DatasetPlan>;
  readonly docs?: ReadonlyMap<string, DatasetDocs>;
}

/** The facets every mention of a dataset carries; empty when it has no contract. */
export function datasetFacets(context: LineageContext, name: string): DatasetFacets {
  const plan = context.datasets.get(name);
  if (!plan) return {};
  const docs = context.docs?.get(name);
  const descriptions = new Map(docs?.columns.map((c) => [c.name, c.description]));
  const schema: SchemaFacet = {
    ...facet(SCHEMA_URLS.schema),
    fields: plan.columns.map((column, index) => {
      const description = descriptions.get(column.name);
      return {
        name: column.name,
        type: column.type,
        ...(description ? { description } : {}),
        ordinal_position: index + 1,
      };
    }),
  };
  const ownership: OwnershipFacet = {
    ...facet(SCHEMA_URLS.ownership),
    owners: [{ name: plan.owner, type: 'OWNER' }],
  };
  const documentation: DocumentationFacet | undefined = docs?.description
    ? { ...facet(SCHEMA_URLS.documentation), description: docs.description, contentType: 'text/markdown' }
    : undefined;
  return { schema, ownership, ...(documentation ? { documentation } : {}) };
}

/**
 * The step's column lineage: each output column with the input columns its value comes from
 * (IDENTITY for a plain copy, TRANSFORMATION when a function applies). Columns computed from no
 * input (constants) are left out.
 */
export function columnLineageFacet(context: LineageContext, step: StepPlan): ColumnLineageFacet {
  const fields: Record<string, { inputFields: InputField[] }> = {};
  for (const column of step.lineage) {
    if (column.from.length === 0) continue;
    fields[column.column] = {
      inputFields: column.from.map((qualified) => {
        const dot = qualified.lastIndexOf('.');
        return {
          namespace: context.datasetNamespace,
          name: qualified.slice(0, dot),
          field: qualified.slice(dot + 1),
          transformations: [
            {
              type: 'DIRECT',
              subtype: column.direct && column.from.length === 1 ? 'IDENTITY' : 'TRANSFORMATION',
            },
          ],
        };
      }),
    };
  }
  return { ...facet(SCHEMA_URLS.columnLineage), fields };
}
