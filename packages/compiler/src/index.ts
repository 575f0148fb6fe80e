// @pipectl/compiler: loads a pipectl project, resolves every reference, traces column-level
// lineage through the SQL (DuckDB parses it), and returns the lineage graph and the run plan.
export {
  type CompileOptions,
  type CompileResult,
  compile,
  compileProject,
} from './compile/compile-project.js';
export {
  type AnalyzeSelectOptions,
  analyzeSelect,
  type LineageInput,
  type LineageProblem,
  type OutputColumn,
  type SelectLineage,
} from './lineage/column-lineage.js';
export {
  type ColumnNode,
  type DatasetNode,
  type ImpactReport,
  type LineageAnswer,
  type LineageEdge,
  type LineageEdgeKind,
  LineageGraph,
  type LineageGraphData,
  type LineageHit,
  type LineageNode,
  type LineageNodeKind,
  nodeKey,
  type PipelineNode,
  type SourceNode,
  type StepNode,
  type TraversalOptions,
  type UnknownTarget,
} from './lineage/lineage-graph.js';
export { DOCUMENT_FILE } from './load/find-document-files.js';
export {
  type LoadedProject,
  type LoadOptions,
  loadProject,
  type ParseCache,
  PROJECT_FILE,
  type StepSql,
  stepKey,
} from './load/load-project.js';
export {
  type FileKind,
  type FileSystemFilesOptions,
  fileSystemFiles,
  isIgnoredSegment,
  ListingError,
  MAX_LISTED_ENTRIES,
  type ProjectFiles,
} from './load/project-files.js';
export type * from './plan/project-plan.js';
export {
  ancestorsOf,
  descendantsOf,
  type SelectableDataset,
  type SelectionGraph,
  SelectorMatchError,
  selectDatasets,
  selectionGraph,
} from './select/select-datasets.js';
export {
  parseSelector,
  type Reach,
  SELECTOR_METHODS,
  type SelectorAtom,
  type SelectorExpression,
  type SelectorMethod,
  SelectorSyntaxError,
} from './select/selector.js';
export { createDuckDbSqlBinder } from './sql/duckdb-sql-binder.js';
export { createDuckDbSqlParser } from './sql/duckdb-sql-parser.js';
export type { BoundSql, RelationSchema, SqlBinder } from './sql/sql-binder.js';
export type { ParsedSql, SqlAstNode, SqlParser } from './sql/sql-parser.js';
export { relationOf, renderTemplate, scanTemplate, type TemplateCall } from './sql/sql-template.js';
