// The shapes of OpenLineage 2-0-2 events and of the facets pipectl writes, typed from the spec's
// JSON Schemas (spec/OpenLineage.json and spec/facets/*.json of github.com/OpenLineage/OpenLineage).
// Each facet carries `_producer` and the `_schemaURL` of the schema version it follows; the tests
// hold these to what the openlineage-python client's models declare.

/** Who wrote the events: pipectl's OpenLineage producer (a URI, as the spec asks). */
export const PRODUCER = 'urn:pipectl:openlineage:0.1.0';

const SPEC = 'https://openlineage.io/spec';

/** The schema URL of each event and facet, at the version pipectl writes. */
export const SCHEMA_URLS = {
  runEvent: `${SPEC}/2-0-2/OpenLineage.json#/$defs/RunEvent`,
  jobEvent: `${SPEC}/2-0-2/OpenLineage.json#/$defs/JobEvent`,
  schema: `${SPEC}/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet`,
  columnLineage: `${SPEC}/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet`,
  ownership: `${SPEC}/facets/1-0-1/OwnershipDatasetFacet.json#/$defs/OwnershipDatasetFacet`,
  documentation: `${SPEC}/facets/1-1-0/DocumentationDatasetFacet.json#/$defs/DocumentationDatasetFacet`,
  dataQualityAssertions: `${SPEC}/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet`,
  parent: `${SPEC}/facets/1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet`,
  errorMessage: `${SPEC}/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet`,
  nominalTime: `${SPEC}/facets/1-0-1/NominalTimeRunFacet.json#/$defs/NominalTimeRunFacet`,
  jobType: `${SPEC}/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet`,
  sql: `${SPEC}/facets/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet`,
  jobDocumentation: `${SPEC}/facets/1-1-0/DocumentationJobFacet.json#/$defs/DocumentationJobFacet`,
  /** pipectl's own run facet (schema shipped as packages/openlineage/schemas/PipectlTemporalRunFacet.json). */
  pipectlTemporal:
    'urn:pipectl:openlineage:facets:1-0-0:PipectlTemporalRunFacet.json#/$defs/PipectlTemporalRunFacet',
} as const;

export type EventType = 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL';

export interface Facet {
  readonly _producer: string;
  readonly _schemaURL: string;
}

export interface SchemaField {
  readonly name: string;
  readonly type: string;
  readonly description?: string;
  readonly ordinal_position: number;
}

export interface SchemaFacet extends Facet {
  readonly fields: readonly SchemaField[];
}

export interface Transformation {
  /** DIRECT: the value comes from the input; INDIRECT: the input filters, joins or groups. */
  readonly type: 'DIRECT' | 'INDIRECT';
  readonly subtype: 'IDENTITY' | 'TRANSFORMATION';
}

export interface InputField {
  readonly namespace: string;
  readonly name: string;
  readonly field: string;
  readonly transformations: readonly Transformation[];
}

export interface ColumnLineageFacet extends Facet {
  readonly fields: Readonly<Record<string, { readonly inputFields: readonly InputField[] }>>;
}

export interface OwnershipFacet extends Facet {
  readonly owners: readonly { readonly name: string; readonly type: string }[];
}

export interface DocumentationFacet extends Facet {
  readonly description: string;
  readonly contentType: 'text/markdown';
}

export interface Assertion {
  /** The check kind: not_null, unique, accepted_values, range, ... */
  readonly assertion: string;
  readonly success: boolean;
  readonly column?: string;
  readonly severity: 'error' | 'warn';
  /** The check's id in pipectl's reports. */
  readonly name: string;
  readonly description?: string;
  readonly expected?: string;
  readonly actual?: string;
}

export interface DataQualityAssertionsFacet extends Facet {
  readonly assertions: readonly Assertion[];
}

export interface DatasetFacets {
  readonly schema?: SchemaFacet;
  readonly columnLineage?: ColumnLineageFacet;
  readonly ownership?: OwnershipFacet;
  readonly documentation?: DocumentationFacet;
}

export interface InputDataset {
  readonly namespace: string;
  readonly name: string;
  readonly facets: DatasetFacets;
  readonly inputFacets?: { readonly dataQualityAssertions?: DataQualityAssertionsFacet };
}

export interface OutputDataset {
  readonly namespace: string;
  readonly name: string;
  readonly facets: DatasetFacets;
}

export interface JobRef {
  readonly namespace: string;
  readonly name: string;
}

export interface ParentRunFacet extends Facet {
  readonly run: { readonly runId: string };
  readonly job: JobRef;
  readonly root?: { readonly run: { readonly runId: string }; readonly job: JobRef };
}

/**
 * pipectl's own run facet: the Temporal workflow and run behind an OpenLineage run, so a lineage
 * tool's run links back to `pipectl status` and the Temporal web UI.
 */
export interface PipectlTemporalRunFacet extends Facet {
  readonly workflowId: string;
  readonly runId: string;
  readonly namespace?: string;
  readonly taskQueue?: string;
  readonly pipeline: string;
  readonly step?: string;
  readonly logicalDate: string;
}

export interface RunFacets {
  readonly parent?: ParentRunFacet;
  readonly nominalTime?: Facet & { readonly nominalStartTime: string };
  readonly errorMessage?: Facet & { readonly message: string; readonly programmingLanguage: string };
  readonly pipectl_temporal?: PipectlTemporalRunFacet;
}

export interface JobFacets {
  readonly jobType?: Facet & {
    readonly processingType: 'BATCH';
    readonly integration: 'PIPECTL';
    readonly jobType: 'PIPELINE' | 'STEP' | 'QUALITY_GATE';
  };
  readonly sql?: Facet & { readonly query: string; readonly dialect: 'duckdb' };
  readonly documentation?: Facet & { readonly description: string; readonly contentType: 'text/markdown' };
}

export interface Job extends JobRef {
  readonly facets: JobFacets;
}

export interface RunEvent {
  readonly eventType: EventType;
  readonly eventTime: string;
  readonly run: { readonly runId: string; readonly facets: RunFacets };
  readonly job: Job;
  readonly inputs: readonly InputDataset[];
  readonly outputs: readonly OutputDataset[];
  readonly producer: string;
  readonly schemaURL: string;
}

/** A job's static lineage, with no run: what `pipectl lineage --format openlineage` prints. */
export interface JobEvent {
  readonly eventTime: string;
  readonly job: Job;
  readonly inputs: readonly InputDataset[];
  readonly outputs: readonly OutputDataset[];
  readonly producer: string;
  readonly schemaURL: string;
}

export type LineageEvent = RunEvent | JobEvent;

/** A facet's common fields. */
export function facet(schemaURL: string): Facet {
  return { _producer: PRODUCER, _schemaURL: schemaURL };
}
