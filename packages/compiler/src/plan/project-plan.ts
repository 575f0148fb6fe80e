// The plan: what `pipectl compile` prints and what the runtime executes. Plain JSON, stable
// (sorted wherever order carries no meaning), readable, and free of source positions.
import type {
  ApprovalPolicy,
  CompatibilityMode,
  Materialization,
  Project,
  QualityCheck,
  RetryPolicy,
  Schedule,
  Source,
} from '@pipectl/spec';

export interface ProjectPlan {
  readonly project: ProjectSettingsPlan;
  /** Every contracted dataset, sorted by name. */
  readonly datasets: readonly DatasetPlan[];
  /** Every pipeline, sorted by name. */
  readonly pipelines: readonly PipelinePlan[];
}

export type ProjectSettingsPlan = Omit<Project, 'apiVersion' | 'kind'>;

export interface DatasetPlan {
  /** `schema.table`, which is also the DuckDB relation `"schema"."table"`. */
  readonly name: string;
  readonly relation: string;
  readonly version: string;
  readonly owner: string;
  readonly compatibility: CompatibilityMode;
  readonly approvers: readonly string[];
  readonly file: string;
  /** The contract's tags, when it has any (graph selectors' `tag:`). */
  readonly tags?: readonly string[];
  /** The step or source that writes it, or null when nothing in the project does. */
  readonly producedBy: ProducerPlan | null;
  readonly columns: readonly DatasetColumnPlan[];
}

export type ProducerPlan =
  | { readonly pipeline: string; readonly step: string }
  | { readonly pipeline: string; readonly source: string };

export interface DatasetColumnPlan {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly primaryKey: boolean;
  readonly pii?: string;
}

export interface PipelinePlan {
  readonly name: string;
  readonly file: string;
  readonly description?: string;
  readonly owner?: string;
  /** The pipeline's tags, when it has any (graph selectors' `tag:` matches the datasets it writes). */
  readonly tags?: readonly string[];
  readonly schedule: Schedule | null;
  readonly retry: RetryPolicy;
  readonly approval: ApprovalPolicy;
  /** Other pipelines that produce datasets this one reads, sorted. */
  readonly dependsOnPipelines: readonly string[];
  /** Loaded before any step runs, in declaration order. */
  readonly sources: readonly SourcePlan[];
  /** In a valid execution order: every step after the steps it depends on. */
  readonly steps: readonly StepPlan[];
}

export type SourcePlan = Source & {
  /** The dataset it lands (its contract's name) and that dataset's relation. */
  readonly dataset: string;
  readonly relation: string;
};

export interface StepPlan {
  readonly name: string;
  readonly description?: string;
  readonly produces: string;
  readonly relation: string;
  readonly materialized: Materialization;
  /** Merge key of incremental steps: `uniqueKey`, else the contract's primary key. */
  readonly uniqueKey?: readonly string[];
  /** The SELECT with every ref() and source() replaced by its relation. Absent when it did not resolve. */
  readonly sql?: string;
  /** Project-relative .sql file the SELECT was read from. */
  readonly sqlFile?: string;
  /** The relations the SELECT reads, sorted by dataset. */
  readonly reads: readonly StepReadPlan[];
  /**
   * Steps of this pipeline that must finish first, sorted: those it reads, and those producing the
   * datasets its `references`/`relationships` checks point into (unless they read this step).
   */
  readonly dependsOn: readonly string[];
  readonly gates: readonly QualityCheck[];
  /** The step's retry policy, else the pipeline's. */
  readonly retry: RetryPolicy;
  /** Where each output column comes from, in SELECT order. */
  readonly lineage: readonly ColumnLineagePlan[];
}

export interface StepReadPlan {
  readonly dataset: string;
  readonly relation: string;
  /** How the SQL names it: `ref('stg_orders')`, `source('orders')`. */
  readonly as: readonly string[];
  /** Who writes it: a step of this pipeline, a source of this pipeline, or another pipeline. */
  readonly producedBy: ProducerPlan | null;
}

export interface ColumnLineagePlan {
  readonly column: string;
  /** Input columns, `schema.table.column`, sorted. */
  readonly from: readonly string[];
  /** A plain copy of one input column (no function applied). */
  readonly direct: boolean;
}
