// The catalog model: everything the site shows, as plain JSON. Built from the compiled project
// (and the warehouse's registry and Temporal's runs when they were reachable) by
// buildCatalogModel; the site's script reads it and renders pages, search and the explorer.

export interface CatalogModel {
  readonly project: CatalogProject;
  /** Every contracted dataset, sorted by name. */
  readonly datasets: readonly CatalogDataset[];
  /** Every pipeline, sorted by name. */
  readonly pipelines: readonly CatalogPipeline[];
  /** Dataset-level lineage: a step (or source) reads `from` and writes `to`. */
  readonly datasetEdges: readonly CatalogEdge[];
  /** Column-level lineage: `to`'s value comes from `from` through `via` (`pipeline/step`). */
  readonly columnEdges: readonly CatalogEdge[];
  /** What a change to a dataset or column reaches, keyed by its name: `pipectl check`'s answer. */
  readonly impact: Readonly<Record<string, CatalogImpact>>;
  /** One entry per dataset, column, pipeline, owner and tag. */
  readonly search: readonly SearchEntry[];
}

export interface CatalogProject {
  readonly name: string;
  readonly description?: string;
  readonly generatedAt: string;
  /** Where the site is published (`docs.url`), when set. */
  readonly docsUrl?: string;
  /** What the registry part of the site is based on. */
  readonly warehouse: SourceState;
  /** What the runs part of the site is based on. */
  readonly runs: SourceState;
}

/** Whether a live source was read: `read`, or why not. */
export interface SourceState {
  readonly state: 'read' | 'unreachable' | 'skipped';
  readonly note?: string;
}

export interface CatalogDataset {
  readonly name: string;
  readonly description?: string;
  readonly owner: string;
  readonly version: string;
  readonly compatibility: string;
  readonly approvers: readonly string[];
  readonly tags: readonly string[];
  readonly file: string;
  /** `pipeline/step` or `pipeline/source` that writes it, or null. */
  readonly producedBy: string | null;
  /** `pipeline/step`s that read it. */
  readonly readBy: readonly string[];
  readonly columns: readonly CatalogColumn[];
  readonly quality: readonly CatalogCheck[];
  readonly freshness?: { readonly column: string; readonly maxAge: string; readonly severity: string };
  /** Compatibility waivers written in the contract. */
  readonly waivers: readonly { readonly rule: string; readonly path?: string; readonly reason: string }[];
  /** Publications from the warehouse's registry, oldest first (empty when not read). */
  readonly versions: readonly CatalogVersion[];
  /**
   * Each check's recorded results (`_pipectl.check_results`), by check id; empty when the
   * warehouse was not read or no gate ran.
   */
  readonly checkResults: readonly CatalogCheckResults[];
}

/** One check's latest result and its trend. */
export interface CatalogCheckResults {
  readonly id: string;
  readonly kind: string;
  readonly column?: string;
  readonly severity: string;
  /** Where it was declared: `constraint`, `contract`, `freshness`, `gate`. */
  readonly origin: string;
  readonly latest: CatalogCheckRun;
  /** The last results, oldest first, the latest last. */
  readonly trend: readonly CatalogCheckRun[];
}

/** A check's result in one gate. */
export interface CatalogCheckRun {
  /** `pass`, `fail`, `quarantined`, `error`, `skipped`. */
  readonly status: string;
  readonly passed: boolean;
  /** `published`: the gate let the version through; `blocked`: it stopped it. */
  readonly outcome: string;
  readonly severity: string;
  readonly expected: string;
  readonly observed: string;
  readonly checkedAt: string;
  readonly runId: string;
  readonly contractVersion: string;
  readonly runUrl?: string;
}

export interface CatalogColumn {
  readonly name: string;
  readonly type: string;
  readonly description?: string;
  readonly nullable: boolean;
  readonly primaryKey: boolean;
  readonly unique: boolean;
  readonly references?: string;
  readonly pii?: string;
  readonly acceptedValues?: readonly (string | number | boolean)[];
  readonly tags: readonly string[];
}

export interface CatalogCheck {
  /** The check's id in reports: its `name`, else `<check>_<column>`. */
  readonly id: string;
  readonly check: string;
  readonly severity: string;
  /** Its settings in one line: `column=status values=[placed, shipped]`. */
  readonly detail: string;
}

export interface CatalogVersion {
  readonly contractVersion: string;
  readonly publishedAt: string;
  readonly runId: string;
  readonly step?: string;
  readonly rowsWritten: number;
  readonly schemaHash: string;
  /** Against the publication before it, under the contract's mode then; `first` for the first. */
  readonly verdict: 'first' | 'compatible' | 'review' | 'breaking';
  readonly changes: readonly { readonly rule: string; readonly path: string; readonly verdict: string }[];
  readonly approval?: { readonly by: string; readonly decision: string; readonly comment?: string };
  /** The run in the Temporal web UI, when its address is known. */
  readonly runUrl?: string;
}

export interface CatalogPipeline {
  readonly name: string;
  readonly description?: string;
  readonly owner?: string;
  readonly file: string;
  readonly schedule: { readonly cron: string; readonly timezone: string } | null;
  readonly dependsOnPipelines: readonly string[];
  readonly sources: readonly {
    readonly name: string;
    readonly kind: string;
    readonly dataset: string;
    readonly from: string;
  }[];
  readonly steps: readonly CatalogStep[];
  /** Latest runs, newest first (empty when Temporal was not read). */
  readonly runs: readonly CatalogRun[];
}

export interface CatalogStep {
  readonly name: string;
  readonly description?: string;
  readonly produces: string;
  readonly materialized: string;
  readonly reads: readonly string[];
  readonly dependsOn: readonly string[];
  readonly sqlFile?: string;
  readonly sql?: string;
  readonly gates: readonly CatalogCheck[];
}

export interface CatalogRun {
  readonly runId: string;
  readonly status: string;
  readonly logicalDate: string | null;
  readonly startTime: string;
  readonly closeTime?: string;
  readonly url?: string;
}

export interface CatalogEdge {
  readonly from: string;
  readonly to: string;
  readonly via: string;
}

/** `ChangeImpact` of @pipectl/check without the graph it came from (always the project's). */
export interface CatalogImpact {
  readonly datasets: readonly { readonly name: string; readonly owner: string; readonly distance: number }[];
  readonly columns: readonly string[];
  readonly pipelines: readonly { readonly name: string; readonly owner: string | null }[];
  readonly owners: readonly string[];
}

export type SearchKind = 'dataset' | 'column' | 'pipeline' | 'owner' | 'tag';

export interface SearchEntry {
  readonly kind: SearchKind;
  /** What is shown and matched first. */
  readonly name: string;
  /** Page it opens: `contract/<dataset>`, `pipeline/<name>`, `search/<text>`. */
  readonly page: string;
  /** More text matched: description, type, owner. */
  readonly text: string;
}
